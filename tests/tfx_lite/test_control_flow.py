"""Control flow (tf.cond, tf.case, tf.switch_case, tf.while_loop, tf.map_fn, tf.scan, tf.foldl,
tf.foldr, tf.vectorized_map): eagerly and inside tf.function, as IR nodes with sub-graphs.
Expected numbers were recorded with TensorFlow 2.21."""
from textwrap import dedent

import numpy as np
import pytest

import tfx_lite as tf
from compiler import parse_program, print_program, program_constants, verify


def both(f, *args):
    """f's result eagerly and through tf.function (as nested numpy values)."""
    eager = f(*args)
    graph = tf.function(f)(*args)
    to_np = lambda s: [to_np(x) for x in s] if isinstance(s, (list, tuple)) else (  # noqa: E731
        {k: to_np(v) for k, v in s.items()} if isinstance(s, dict) else np.asarray(s))
    return to_np(eager), to_np(graph)


def check(f, *args, expected):
    for result in both(f, *args):
        np.testing.assert_allclose(np.asarray(result, dtype=np.float64), expected)


# --- values (vs TF), eager and traced ---

def test_cond_values():
    f = lambda p: tf.cond(p > 0, lambda: p * 2, lambda: p - 1)  # noqa: E731
    check(f, tf.constant(3.0), expected=6.0)
    check(f, tf.constant(-3.0), expected=-4.0)


def test_cond_returns_structures():
    def f(p):
        return tf.cond(p > 0, lambda: {"a": p, "b": (p + 1, p * 2)}, lambda: {"a": -p, "b": (p, p)})
    for r in both(f, tf.constant(2.0)):
        assert r["a"] == 2.0 and list(r["b"]) == [3.0, 4.0]


def test_while_loop_closure_over_variable_and_tensor():  # TF: (3, 8.0)
    v = tf.Variable(2.0)

    def f(n):
        return tf.while_loop(lambda i, s: i < n, lambda i, s: (i + 1, s * v), (0, 1.0))

    for i, s in both(f, tf.constant(3)):
        assert i == 3 and s == 8.0
    v.assign(3.0)  # the traced function reads the variable's current value at each call
    assert float(tf.function(f)(tf.constant(2))[1]) == 9.0


def test_cond_inside_while_loop():  # TF: (5, 22.0)
    def f(n):
        return tf.while_loop(
            lambda i, s: i < n,
            lambda i, s: (i + 1, tf.cond(i % 2 == 0, lambda: s + 1.0, lambda: s * 3.0)), (0, 1.0))

    for i, s in both(f, tf.constant(5)):
        assert i == 5 and s == 22.0


def test_while_loop_maximum_iterations_and_list_structure():  # TF: [4, 16.0]
    f = lambda n: tf.while_loop(lambda i, s: i < n, lambda i, s: (i + 1, s * 2), [0, 1.0],  # noqa: E731
                                maximum_iterations=4)
    eager, graph = f(tf.constant(10)), tf.function(f)(tf.constant(10))
    for r in (eager, graph):
        assert isinstance(r, list) and int(r[0]) == 4 and float(r[1]) == 16.0


def test_while_loop_single_var_and_nested():
    for r in both(lambda x: tf.while_loop(lambda i: i < 10.0, lambda i: i + 1, [x]), tf.constant(1.0)):
        assert float(r[0]) == 10.0

    def g(x):
        return tf.while_loop(lambda d: d["i"] < 3, lambda d: {"i": d["i"] + 1, "s": (d["s"][0] + x,)},
                             ({"i": 0, "s": (x,)},))
    for r in both(g, tf.constant(2.0)):
        assert int(r[0]["i"]) == 3 and float(r[0]["s"][0]) == 8.0


def test_case_and_switch_case():
    # TF: switch_case(i, [10, 20]) for i in (-1, 0, 1, 2, 5) -> [20, 10, 20, 20, 20]
    sw = lambda i: tf.switch_case(i, [lambda: tf.constant(10), lambda: tf.constant(20)])  # noqa: E731
    for i, want in zip((-1, 0, 1, 2, 5), (20, 10, 20, 20, 20)):
        assert [int(r) for r in both(sw, tf.constant(i))] == [want, want]
    sw3 = lambda i: tf.switch_case(i, {0: lambda: tf.constant(10), 1: lambda: tf.constant(20)},  # noqa: E731
                                   default=lambda: tf.constant(30))
    for i, want in zip((-1, 0, 1, 2), (30, 10, 20, 30)):
        assert [int(r) for r in both(sw3, tf.constant(i))] == [want, want]
    cs = lambda p: tf.case([(p > 5, lambda: p * 1), (p > 3, lambda: p * 2)], default=lambda: p * 3)  # noqa: E731
    for p, want in ((6.0, 6.0), (4.0, 8.0), (1.0, 3.0)):
        assert [float(r) for r in both(cs, tf.constant(p))] == [want, want]


def test_case_eager_errors():  # TF: InvalidArgumentError in both cases
    with pytest.raises(tf.errors.InvalidArgumentError):
        tf.case([(tf.constant(False), lambda: 1), (tf.constant(False), lambda: 2)])
    with pytest.raises(tf.errors.InvalidArgumentError):
        tf.case([(tf.constant(True), lambda: 1), (tf.constant(True), lambda: 2)], default=lambda: 3,
                exclusive=True)


E = [[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]


def test_map_fn_values():  # TF: [6, 14, 22]; nested with signature; dict outputs
    e = tf.constant(E)
    check(lambda e: tf.map_fn(lambda r: tf.reduce_sum(r) * 2, e, fn_output_signature=tf.float32), e,
          expected=[6.0, 14.0, 22.0])
    check(lambda e: tf.map_fn(lambda t: t[0] * t[1], (e, e), fn_output_signature=tf.float32), e,
          expected=np.square(E))
    for r in both(lambda e: tf.map_fn(lambda t: {"a": t, "b": t[0]}, e,
                                      fn_output_signature={"a": tf.float32, "b": tf.float32}), e):
        np.testing.assert_array_equal(r["a"], E)
        np.testing.assert_array_equal(r["b"], [1.0, 3.0, 5.0])


def test_map_fn_structure_errors():
    e = tf.constant(E)
    with pytest.raises(ValueError):  # TF: output structure defaults to that of elems
        tf.map_fn(lambda t: t[0] * t[1], (e, e))
    with pytest.raises(tf.errors.InvalidArgumentError):  # TF: TensorArray dtype is float32 ...
        tf.map_fn(lambda t: tf.cast(t, tf.int32), e)
    r = tf.map_fn(lambda t: tf.cast(t, tf.int32), e, fn_output_signature=tf.int32)
    assert r.dtype == tf.int32 and r.numpy().tolist() == [[1, 2], [3, 4], [5, 6]]


def test_scan_and_folds():
    ints = tf.constant([1, 2, 3, 4])
    floats = tf.constant([1.0, 2.0, 3.0])
    one = tf.constant(1.0)
    cases = [  # (function, argument, TF's result)
        (lambda x: tf.scan(lambda a, x: a + x, x), ints, [1, 3, 6, 10]),
        (lambda x: tf.scan(lambda a, x: a + x, x, reverse=True), ints, [10, 9, 7, 4]),
        (lambda x: tf.scan(lambda a, x: a * 2 + x, x, initializer=one), floats, [3.0, 8.0, 19.0]),
        (lambda x: tf.scan(lambda a, x: a * 2 + x, x, initializer=one, reverse=True), floats,
         [25.0, 12.0, 5.0]),
        (lambda x: tf.foldl(lambda a, x: a - x, x), ints, -8),
        (lambda x: tf.foldr(lambda a, x: a - x, x), ints, -2),
        (lambda x: tf.foldl(lambda a, x: a * 2 + x, x, initializer=one), floats, 19.0),
        (lambda x: tf.foldr(lambda a, x: a * 2 + x, x, initializer=one), floats, 25.0),
    ]
    for f, x, want in cases:
        check(f, x, expected=want)
    # tuple accumulators; TF: ([1, 3, 6], [1, 2, 6])
    for r in both(lambda x: tf.scan(lambda a, x: (a[0] + x, a[1] * x), x,
                                    initializer=(tf.constant(0.0), tf.constant(1.0))), floats):
        assert [list(map(float, t)) for t in r] == [[1.0, 3.0, 6.0], [1.0, 2.0, 6.0]]


def test_vectorized_map():  # TF: [5, 25, 61]; nested: 2 * E
    e = tf.constant(E)
    check(lambda e: tf.vectorized_map(lambda r: tf.tensordot(r, r, 1), e), e, expected=[5.0, 25.0, 61.0])
    check(lambda e: tf.vectorized_map(lambda t: t[0] + t[1], (e, e)), e, expected=np.multiply(E, 2))


def test_closures_over_outer_tensors_and_variables_in_bodies():
    v = tf.Variable([10.0, 20.0])
    scale = tf.constant(3.0)  # an eager tensor: a constant in the sub-graph

    def f(e, k):
        return tf.map_fn(lambda r: r * k + v * scale, e)

    e = tf.constant(E)
    eager, graph = both(f, e, tf.constant(2.0))
    want = np.asarray(E) * 2 + np.asarray([30.0, 60.0])
    np.testing.assert_allclose(eager, want)
    np.testing.assert_allclose(graph, want)


# --- errors ---

def test_branch_structure_and_dtype_errors():
    x = tf.TensorSpec([], tf.float32)
    with pytest.raises(ValueError, match="same number, type, and overall structure"):
        tf.function(lambda p: tf.cond(p > 0, lambda: (p, p), lambda: p)).get_concrete_function(x)
    with pytest.raises(TypeError, match="same number, type, and overall structure"):  # as TF
        tf.function(lambda p: tf.cond(p > 0, lambda: p, lambda: tf.cast(p, tf.int32))).get_concrete_function(x)
    with pytest.raises(TypeError, match="'branch_index' must be an integer Tensor"):  # as TF
        tf.switch_case(tf.constant(1.0), [lambda: 1, lambda: 2])
    with pytest.raises(ValueError, match="contiguous range"):
        tf.switch_case(tf.constant(3), {3: lambda: 10, 1: lambda: 20})


def test_predicates():
    assert tf.cond(tf.constant(1), lambda: 1, lambda: 2) == 1  # TF eager: non-bool scalars are fine
    with pytest.raises(ValueError):
        tf.cond(tf.constant([True, False]), lambda: 1, lambda: 2)
    f = tf.function(lambda p: tf.cond(p, lambda: p + 1, lambda: p - 1))  # a float predicate: p != 0
    assert float(f(tf.constant(2.0))) == 3.0 and float(f(tf.constant(0.0))) == -1.0


def test_loop_var_errors_as_tf():
    x = tf.TensorSpec([], tf.float32)
    trace = lambda f: tf.function(f).get_concrete_function(x)  # noqa: E731
    with pytest.raises(TypeError, match="enters the loop with type"):
        trace(lambda p: tf.while_loop(lambda i: i < 10, lambda i: tf.cast(i, tf.int32), [p]))
    with pytest.raises(ValueError, match="enters the loop with shape"):
        trace(lambda p: tf.while_loop(lambda i: i < 10, lambda i: tf.stack([i, i]), [p]))
    with pytest.raises(ValueError, match="same nested structure"):
        trace(lambda p: tf.while_loop(lambda i: i < 10, lambda i: (i, i), [p]))
    with pytest.raises(ValueError, match="same nested structure"):
        tf.while_loop(lambda i: i < 10, lambda i: (i, i), [1.0])
    with pytest.raises(ValueError, match="'loop_vars' must be provided"):
        tf.while_loop(lambda i: i < 10, lambda i: i + 1, [])


def test_variable_assignment_in_body():
    # More in test_control_flow_state.py. Expected values printed by TF 2.21.
    v = tf.Variable(0.0)

    @tf.function
    def f(p):
        return tf.cond(p > 0, lambda: v.assign_add(1.0).read_value(), lambda: p)

    got = []
    for p in (1.0, -1.0, 2.0):
        got += [float(f(tf.constant(p))), float(v.numpy())]
    assert got == [1.0, 1.0, -1.0, 1.0, 2.0, 2.0]


# --- the IR ---

def test_printed_ir_of_traced_cond_golden_roundtrip_and_verify():
    def pick(p, q):
        return tf.cond(p > 0, lambda: p * q, lambda: q - 1.0)

    graph = tf.function(pick).get_concrete_function(tf.constant(1.0), tf.constant(2.0)).graph
    text = print_program(graph)
    assert text == dedent("""\
        func @pick(%p: f32[], %q: f32[]) -> (f32[]) {
          %0 = const() {value=array(0.0, float32)} : f32[]
          %1 = greater(%p, %0) : bool[]
          %2 = cond(%1, %p, %q) {false=@cond_false, true=@cond_true} : f32[]
          return %2
        }

        func @cond_false(%p: f32[], %q: f32[]) -> (f32[]) {
          %0 = const() {value=array(1.0, float32)} : f32[]
          %1 = sub(%q, %0) : f32[]
          return %1
        }

        func @cond_true(%p: f32[], %q: f32[]) -> (f32[]) {
          %0 = mul(%p, %q) : f32[]
          return %0
        }""")
    verify(graph)
    assert print_program(verify(parse_program(text, program_constants(graph)))) == text


def test_loops_verify_and_roundtrip():
    def g(n, e):
        i, s = tf.while_loop(lambda i, s: i < n, lambda i, s: (i + 1, s + tf.reduce_sum(
            tf.map_fn(lambda r: r * tf.cast(i, tf.float32), e))), (0, 0.0), maximum_iterations=5)
        sw = tf.switch_case(i, [lambda: s, lambda: s * 2, lambda: -s])
        return sw + tf.foldl(lambda a, x: a + x, e[:, 0]) + tf.vectorized_map(lambda r: r[0], e)[0]

    f = tf.function(g)
    args = (tf.constant(3), tf.constant(E))
    graph = f.get_concrete_function(*args).graph
    verify(graph)
    text = print_program(graph)
    assert "while_loop(" in text and "func @map_fn_body" in text and "branches=(@" in text
    assert print_program(verify(parse_program(text, program_constants(graph)))) == text
    np.testing.assert_allclose(f(*args).numpy(), g(*args).numpy())


def test_retrace_counts_unaffected():
    @tf.function
    def f(x):
        return tf.cond(x > 0, lambda: x, lambda: -x) + tf.while_loop(lambda i: i < 3.0, lambda i: i + 1, [x])[0]

    for value in (1.0, -2.0, 5.0):
        f(tf.constant(value))
    assert f.experimental_get_tracing_count() == 1
