"""tf.function: tracing rules, captured variables, concrete functions, IR dumps."""
import logging
from textwrap import dedent

import numpy as np
import pytest

import tfx_lite as tf


def test_compiled_result_equals_eager():
    def f(x, y, b):
        return tf.matmul(x, y) + b

    args = (tf.constant([[1.0, 2.0]]), tf.constant([[2.0], [3.0]]), tf.constant(4.0))
    compiled = tf.function(f)(*args)
    assert compiled.dtype == tf.float32 and compiled.shape == [1, 1]
    np.testing.assert_array_equal(compiled.numpy(), f(*args).numpy())


def test_one_trace_per_input_signature_and_side_effects_once_per_trace():
    traces = []

    @tf.function
    def f(x):
        traces.append(x.shape)  # a Python side effect: runs while tracing only
        return x * 2

    f(tf.constant([1.0, 2.0]))
    f(tf.constant([3.0, 4.0]))
    assert len(traces) == 1
    f(tf.constant([1.0, 2.0, 3.0]))  # new shape
    f(tf.constant([1, 2]))  # new dtype
    assert len(traces) == 3 and f.experimental_get_tracing_count() == 3
    assert f(tf.constant([5.0, 6.0])).numpy().tolist() == [10.0, 12.0]
    assert len(traces) == 3


def test_python_values_are_traced_by_value():
    traces = []

    @tf.function
    def power(x, n):
        traces.append(n)
        result = x
        for _ in range(n - 1):
            result = result * x
        return result

    assert float(power(tf.constant(2.0), 3)) == 8.0
    assert float(power(tf.constant(3.0), 3)) == 27.0
    assert float(power(tf.constant(2.0), 4)) == 16.0
    assert traces == [3, 4]


def test_lists_of_python_numbers_convert_as_tf_does():
    @tf.function
    def my_relu(x):
        return tf.maximum(0.0, x)

    assert str(my_relu(tf.constant(5.5))) == "tf.Tensor(5.5, shape=(), dtype=float32)"
    assert str(my_relu([1, -1])) == "tf.Tensor([1. 0.], shape=(2,), dtype=float32)"


def test_structured_inputs_and_outputs():
    @tf.function
    def f(pair, scale=1.0, extra=None):
        a, b = pair
        return {"sum": (a + b) * scale, "parts": (a, b), "label": "ok"}

    out = f((tf.constant(1.0), tf.constant(2.0)), scale=3.0)
    assert float(out["sum"]) == 9.0 and out["label"] == "ok"
    assert float(out["parts"][1]) == 2.0


def test_variables_are_captured_not_baked_in():
    v = tf.Variable([1.0, 2.0])

    @tf.function
    def f(x):
        return x * v + tf.reduce_sum(v)

    x = tf.constant([1.0, 1.0])
    assert f(x).numpy().tolist() == [4.0, 5.0]
    v.assign([10.0, 20.0])
    assert f(x).numpy().tolist() == [40.0, 50.0]
    assert f.experimental_get_tracing_count() == 1
    graph = f.get_concrete_function(x).graph
    assert [p.name for p in graph.params] == ["x", "Variable"]


def test_assignments_become_outputs_written_back_after_the_call():
    v = tf.Variable([1.0, 2.0])
    steps = tf.Variable(0)

    @tf.function
    def step(x):
        v.assign_add(x)
        steps.assign_add(1)
        return v * 2  # reads the value assigned just above

    assert step(tf.constant([1.0, 1.0])).numpy().tolist() == [4.0, 6.0]
    assert step(tf.constant([1.0, 1.0])).numpy().tolist() == [6.0, 8.0]
    assert v.numpy().tolist() == [3.0, 4.0] and int(steps.numpy()) == 2
    assert step.experimental_get_tracing_count() == 1
    assert tf.dump_ir(step, tf.constant([1.0, 1.0])) == dedent("""\
        func @step(%x: f32[2], %Variable: f32[2], %Variable_: i32[]) -> (f32[2], f32[2], i32[]) {
          %0 = add(%Variable, %x) : f32[2]
          %1 = const() {value=array(1, int32)} : i32[]
          %2 = add(%Variable_, %1) : i32[]
          %3 = const() {value=array(2.0, float32)} : f32[]
          %4 = mul(%0, %3) : f32[2]
          return %4, %0, %2
        }""")


def test_assign_then_read_and_assign_returning_the_variable():
    v = tf.Variable(1.0)

    @tf.function
    def f():
        before = v.read_value()
        v.assign(5.0)
        return before, v.assign_sub(1.0).read_value(), v

    before, after, whole = f()
    assert (float(before), float(after), float(whole), float(v.numpy())) == (1.0, 4.0, 4.0, 4.0)


def test_updated_variable_buffers_are_donated_unless_shared():
    v = tf.Variable(np.zeros(4, np.float32))

    @tf.function
    def bump():
        v.assign_add(tf.ones([4]))

    bump()  # the initial buffer is shared with v.initial_value: copied, not donated
    assert v.initial_value.numpy().tolist() == [0.0] * 4
    internal = v._array  # written by the function, shared with nothing
    bump()
    if not internal.is_deleted():
        pytest.skip("this JAX backend ignores buffer donation")
    held = v.read_value()  # now a tensor shares the buffer: the next call must not donate it
    bump()
    assert held.numpy().tolist() == [2.0] * 4 and v.numpy().tolist() == [3.0] * 4


def test_variables_may_be_created_on_the_first_trace_only():
    created = []

    @tf.function
    def f(x):
        if not created:
            created.append(tf.Variable(10.0))
        return x + created[0]

    assert float(f(tf.constant(1.0))) == 11.0
    assert float(f(tf.constant(2.0))) == 12.0

    @tf.function
    def g(x):
        return x + tf.Variable(1.0)

    g(tf.constant(1.0))
    with pytest.raises(ValueError, match="only supports singleton tf.Variables created on the first call"):
        g(tf.constant([1.0, 2.0]))


def test_variable_numpy_inside_a_trace_raises():
    v = tf.Variable(1.0)

    @tf.function
    def f():
        return v.numpy()

    with pytest.raises(AttributeError, match="only available for eager tensors"):  # TF: AttributeError
        f()


def test_errors_while_tracing_name_the_function():
    @tf.function(autograph=False)
    def branchy(x):
        if x > 0:
            return x
        return -x

    with pytest.raises(TypeError, match="tf.cond") as info:
        branchy(tf.constant(1.0))
    assert "while tracing tf.function 'branchy'" in info.value.__notes__[0]


def test_shape_errors_while_tracing_are_value_errors_as_in_tf():
    @tf.function
    def f(x, y):
        return x + y

    with pytest.raises(ValueError, match=r"Incompatible shapes: \[2\] vs. \[3\]"):
        f(tf.constant([1.0, 2.0]), tf.constant([1.0, 2.0, 3.0]))


def test_input_signature_checks_calls():
    @tf.function(input_signature=[tf.TensorSpec([None, 2], tf.float32)])
    def f(x):
        return tf.reduce_sum(x, axis=1)

    assert f(tf.constant([[1.0, 2.0]])).numpy().tolist() == [3.0]
    assert f([[1.0, 2.0], [3.0, 4.0]]).numpy().tolist() == [3.0, 7.0]
    with pytest.raises(TypeError, match="Can not cast TensorSpec"):
        f(tf.constant([[1, 2]]))
    with pytest.raises(TypeError, match="Can not cast TensorSpec"):
        f(tf.constant([1.0, 2.0]))
    assert f.input_signature == [tf.TensorSpec([None, 2], tf.float32)]


def test_concrete_functions():
    @tf.function
    def f(x, y):
        return tf.matmul(x, y) + 1.0

    concrete = f.get_concrete_function(tf.TensorSpec([1, 2], tf.float32), tf.TensorSpec([2, 1], tf.float32))
    assert str(concrete.graph) == dedent("""\
        func @f(%x: f32[1,2], %y: f32[2,1]) -> (f32[1,1]) {
          %0 = matmul(%x, %y) : f32[1,1]
          %1 = const() {value=array(1.0, float32)} : f32[]
          %2 = add(%0, %1) : f32[1,1]
          return %2
        }""")
    assert [t.shape for t in concrete.inputs] == [[1, 2], [2, 1]]
    assert concrete.outputs[0].dtype == tf.float32
    out = concrete(tf.constant([[1.0, 2.0]]), tf.constant([[3.0], [4.0]]))
    assert out.numpy().tolist() == [[12.0]]
    with pytest.raises(TypeError, match="expected a tensor of type f32"):
        concrete(tf.constant([[1.0, 2.0, 3.0]]), tf.constant([[3.0], [4.0]]))
    # the concrete function is the one calls use
    assert f.get_concrete_function(tf.constant([[1.0, 2.0]]), tf.constant([[3.0], [4.0]])) is concrete


def test_nested_functions_become_call_nodes_traced_once():
    v = tf.Variable(1.0)
    traces = []

    @tf.function
    def inner(x):
        traces.append(1)  # once per signature of inner, not once per call site
        v.assign_add(x)
        return x * x + v

    @tf.function
    def outer(x):
        return inner(x) + inner(x + 1.0)

    # v: 1 -> 3 -> 6; inner(2) = 4 + 3, inner(3) = 9 + 6
    assert float(outer(tf.constant(2.0))) == 22.0 and float(v.numpy()) == 6.0
    assert float(outer(tf.constant(2.0))) == 32.0 and float(v.numpy()) == 11.0
    assert len(traces) == 1
    assert tf.dump_ir(outer, tf.constant(2.0), stage="raw") == dedent("""\
        func @outer(%x: f32[], %Variable: f32[]) -> (f32[], f32[]) {
          %0, %1 = call(%x, %Variable) {fn=@inner} : f32[], f32[]
          %2 = const() {value=array(1.0, float32)} : f32[]
          %3 = add(%x, %2) : f32[]
          %4, %5 = call(%3, %1) {fn=@inner} : f32[], f32[]
          %6 = add(%0, %4) : f32[]
          return %6, %5
        }

        func @inner(%x: f32[], %Variable: f32[]) -> (f32[], f32[]) {
          %0 = add(%Variable, %x) : f32[]
          %1 = mul(%x, %x) : f32[]
          %2 = add(%1, %0) : f32[]
          return %2, %0
        }""")


def test_nested_function_structures_and_python_arguments():
    @tf.function
    def pair(x, n):
        return {"doubled": x * n, "n": n}

    @tf.function
    def outer(x):
        out = pair(x, 3)
        return out["doubled"] + out["n"]

    assert float(outer(tf.constant(2.0))) == 9.0


def test_compiler_ir_stages():
    @tf.function
    def f(x):
        return tf.reduce_sum(x * 2.0) + 0.0 * 3.0

    x = tf.constant([1.0, 2.0])
    ir = f.experimental_get_compiler_ir(x)
    assert ir(stage="raw").startswith("func @f(%x: f32[2]) -> (f32[])")
    assert "mul" in ir(stage="optimized")
    assert "stablehlo" in ir(stage="hlo") or "HloModule" in ir(stage="hlo")
    assert "HloModule" in ir(stage="optimized_hlo")
    with pytest.raises(ValueError, match="Unknown stage"):
        ir(stage="llvm")


def test_optimized_ir_folds_and_deduplicates():
    @tf.function
    def f(x):
        scale = tf.constant(2.0) * tf.constant(3.0)
        return x * scale + x * scale

    x = tf.constant([1.0])
    assert f(x).numpy().tolist() == [12.0]
    assert tf.dump_ir(f, x) == dedent("""\
        func @f(%x: f32[1]) -> (f32[1]) {
          %0 = const() {value=array(6.0, float32)} : f32[]
          %1 = mul(%x, %0) : f32[1]
          %2 = add(%1, %1) : f32[1]
          return %2
        }""")


def test_ir_dumped_after_each_pass_when_asked(tmp_path, monkeypatch):
    monkeypatch.setenv("TFX_DUMP_IR", str(tmp_path))

    @tf.function
    def dumped(x):
        return x + 1.0

    dumped(tf.constant(1.0))
    files = sorted(p.name for p in (tmp_path / "dumped").iterdir())
    assert files == ["00_input.tfir", "01_fold_constants.tfir", "02_cse.tfir", "03_dce.tfir"]


def test_run_functions_eagerly():
    calls = []

    @tf.function
    def f(x):
        calls.append(tf.executing_eagerly())
        return x + 1

    tf.config.run_functions_eagerly(True)
    try:
        f(tf.constant(1))
        f(tf.constant(2))
    finally:
        tf.config.run_functions_eagerly(False)
    f(tf.constant(3))
    assert calls == [True, True, False]
    assert tf.config.functions_run_eagerly() is False


def test_retracing_too_often_warns(caplog):
    @tf.function
    def f(x):
        return x

    with caplog.at_level(logging.WARNING, logger="tfx_lite"):
        for n in range(1, 8):
            f(tf.zeros([n]))
    warnings = [r for r in caplog.records if "triggered tf.function retracing" in r.getMessage()]
    assert len(warnings) == 1


def test_methods_trace_per_instance():
    class Scaler:
        def __init__(self, factor):
            self.factor = tf.Variable(factor)

        @tf.function
        def __call__(self, x):
            return x * self.factor

    a, b = Scaler(2.0), Scaler(3.0)
    assert float(a(tf.constant(1.0))) == 2.0
    assert float(b(tf.constant(1.0))) == 3.0
    assert a.__call__ is a.__call__


def test_decorator_forms_accept_tf_flags():
    @tf.function(jit_compile=True, reduce_retracing=True)
    def f(x):
        return x - 1

    g = tf.function(lambda x: x * 3, experimental_compile=True)
    assert int(f(tf.constant(3))) == 2 and int(g(tf.constant(3))) == 9
    assert f.__name__ == "f"


def test_random_ops_in_functions_draw_new_numbers_each_call_reproducibly():
    def make():
        @tf.function
        def sample():
            return tf.random.uniform([4]), tf.random.normal([2], seed=7)
        return sample

    tf.random.set_seed(3)
    f = make()
    first, second = f(), f()
    assert first[0].numpy().tolist() != second[0].numpy().tolist()
    assert first[1].numpy().tolist() != second[1].numpy().tolist()
    tf.random.set_seed(3)
    g = make()  # same global seed, a new function: the same sequence
    again = g(), g()
    for a, b in zip(first + second, again[0] + again[1]):
        assert a.numpy().tolist() == b.numpy().tolist()


def test_generators_advance_inside_functions():
    gen = tf.random.Generator.from_seed(11)
    eager_gen = tf.random.Generator.from_seed(11)

    @tf.function
    def draw():
        return gen.normal([3])

    traced = [draw().numpy().tolist(), draw().numpy().tolist()]
    eager = [eager_gen.normal([3]).numpy().tolist(), eager_gen.normal([3]).numpy().tolist()]
    assert traced == eager and traced[0] != traced[1]
    assert gen.state.numpy().tolist() == eager_gen.state.numpy().tolist()


def test_calls_with_python_values_and_objects_reuse_traces_by_value_and_identity():
    class Shift:  # hashed by identity, as TF keys such arguments by id
        def __init__(self, offset):
            self.offset = offset

    @tf.function
    def f(shift, x, scale=1.0):
        return x * scale + shift.offset

    a, b, x = Shift(1.0), Shift(2.0), tf.constant(1.0)
    calls = [((a, x), {"scale": 2.0}, 3.0, 1), ((a, x), {"scale": 2.0}, 3.0, 1),
             ((b, x), {"scale": 2.0}, 4.0, 2), ((a, x), {"scale": 3.0}, 4.0, 3),
             ((a, x), {}, 2.0, 4), ((a, tf.constant(5.0)), {}, 6.0, 4)]
    for args, kwargs, expected, traces in calls:
        assert f(*args, **kwargs).numpy() == expected
        assert f.experimental_get_tracing_count() == traces
