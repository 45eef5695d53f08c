"""Property-based: random functions made of nested `if`/`elif`/`else`, `for` over `tf.range`,
`while`, `break`, `continue` and `return` on tensor and Python conditions, run as plain Python on
eager tensors and converted by AutoGraph under tf.function; both must give the same results.
Every loop is bounded, so the Python run always ends."""
import importlib.util
import os

from hypothesis import HealthCheck, given, settings, strategies as st

import tfx_lite as tf

SETTINGS = settings(max_examples=int(os.environ.get("AG_EXAMPLES", 25)), deadline=None, derandomize=bool(os.environ.get("CI")),
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])

UPDATES = ["a = a + b", "b = b * 2 - a", "a = a % 7 + 1", "b = b - 3", "a = a * b % 11",
           "c = a + b", "b = b + c if c > 0 else b", "a, b = b, a", "c = c - 1 if flag else c + 1",
           "d = a * 2", "a = a + d if d > 3 else a"]
TENSOR_TESTS = ["a > b", "a % 3 == 0", "b < 0", "a > 2 and b < 5", "not a > b", "c > a or b > 4"]


def _block(draw, depth, in_loop, in_python_loop=False):
    """Statements; inside a loop over a Python range, no break, continue or return on a tensor
    condition (TF refuses those, as tfx_lite does: the loop cannot become a TF loop)."""
    lines = []
    for _ in range(draw(st.integers(1, 3))):
        kind = draw(st.sampled_from(["update"] * 3 + (["if", "for", "while"] if depth < 3 else [])
                                    + (["jump"] if in_loop and not in_python_loop else [])
                                    + ([] if in_python_loop else ["return"])))
        if kind == "update":
            lines.append(draw(st.sampled_from(UPDATES)))
        elif kind == "jump":
            lines += [f"if {draw(st.sampled_from(TENSOR_TESTS))}:",
                      f"    {draw(st.sampled_from(['break', 'continue']))}"]
        elif kind == "return":
            lines += [f"if {draw(st.sampled_from(TENSOR_TESTS))}:", "    return a - b, b, c"]
        elif kind == "if":
            test = draw(st.sampled_from(TENSOR_TESTS + ["flag", "not flag"]))
            lines += [f"if {test}:"] + _indent(_block(draw, depth + 1, in_loop, in_python_loop))
            if draw(st.booleans()):
                lines += [f"elif {draw(st.sampled_from(TENSOR_TESTS))}:"] + \
                    _indent(_block(draw, depth + 1, in_loop, in_python_loop))
            if draw(st.booleans()):
                lines += ["else:"] + _indent(_block(draw, depth + 1, in_loop, in_python_loop))
        elif kind == "for":
            bound = draw(st.sampled_from(["tf.range(n)", "tf.range(3)", "tf.range(tf.shape(x)[0])",
                                          "x", "range(2)", "range(n)"]))
            var = f"i{depth}"
            lines += [f"for {var} in {bound}:", f"    a = a + {var}"] + \
                _indent(_block(draw, depth + 1, True, in_python_loop or bound.startswith("range(")))
            if draw(st.integers(0, 3)) == 0:
                lines += ["else:", "    b = b + 1"]
        else:
            var = f"j{depth}"
            extra = draw(st.sampled_from(["", " and a < 40", " and not b > 30"]))
            lines += [f"{var} = 0", f"while {var} < n{extra}:", f"    {var} += 1"] + \
                _indent(_block(draw, depth + 1, True, in_python_loop))
    return lines


def _indent(lines):
    return ["    " + line for line in lines]


@st.composite
def programs(draw):
    body = ["a = x[0]", "b = x[1]", "c = a - b", "d = b"] + _block(draw, 0, False) + ["return a, b, c"]
    if draw(st.booleans()):  # the same, in a helper the converted function calls
        body = ["return helper(x, n, flag)"]
        return ("import tfx_lite as tf\n\n\ndef helper(x, n, flag):\n" +
                "\n".join(_indent(["a = x[0]", "b = x[1]", "c = a - b", "d = b"] + _block(draw, 0, False) +
                                   ["return a, b, c"])) +
                "\n\n\ndef f(x, n, flag):\n" + "\n".join(_indent(body)) + "\n")
    return "import tfx_lite as tf\n\n\ndef f(x, n, flag):\n" + "\n".join(_indent(body)) + "\n"


@SETTINGS
@given(program=programs(), x=st.lists(st.integers(-6, 6), min_size=3, max_size=3),
       n=st.integers(0, 4), flag=st.booleans())
def test_converted_functions_compute_what_python_computes(tmp_path_factory, program, x, n, flag):
    path = tmp_path_factory.mktemp("autograph") / "generated.py"
    path.write_text(program)
    spec = importlib.util.spec_from_file_location(f"generated_{abs(hash(program))}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    args = (tf.constant(x, tf.int32), tf.constant(n), flag)
    eager = [int(v) for v in module.f(*args)]
    traced = [int(v) for v in tf.function(module.f)(*args)]
    assert traced == eager, program
