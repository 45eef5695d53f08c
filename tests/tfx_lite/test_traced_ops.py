"""The same tfx_lite op functions that run eagerly record IR nodes while a graph is built:
eager is never designed on its own (tf.function builds on this)."""
from textwrap import dedent

import numpy as np

import tfx_lite as tf
from compiler import GraphBuilder, TensorType, print_graph
from tfx_lite.framework.tensor import SymbolicTensor


def _trace(fn, *types):
    with GraphBuilder(fn.__name__) as b:
        args = [SymbolicTensor(b.param(TensorType(shape, dtype), name)) for name, shape, dtype in types]
        out = fn(*args)
        b.graph.results = [out._value]
    return b.graph, out


def test_tf_ops_on_symbolic_tensors_build_the_graph():
    def f(x, y, b):
        return tf.matmul(x, y) + b

    graph, out = _trace(f, ("x", (1, 2), np.float32), ("y", (2, 1), np.float32), ("b", (), np.float32))
    assert isinstance(out, tf.Tensor) and out.shape == [1, 1] and out.dtype == tf.float32
    assert print_graph(graph) == dedent("""\
        func @f(%x: f32[1,2], %y: f32[2,1], %b: f32[]) -> (f32[1,1]) {
          %0 = matmul(%x, %y) : f32[1,1]
          %1 = add(%0, %b) : f32[1,1]
          return %1
        }""")


def test_python_scalars_become_constants_of_the_tensor_dtype():
    graph, out = _trace(lambda x: x * 2, ("x", (3,), np.int64))
    assert out.dtype == tf.int64
    assert "const() {value=array(2, int64)} : i64[]" in print_graph(graph)


def test_dtype_rules_hold_while_tracing():
    def f(x, y):
        return x + y

    try:
        _trace(f, ("x", (), np.int32), ("y", (), np.float32))
    except TypeError as err:  # TF 2.21's text while building a graph
        assert str(err) == "Input 'y' of 'AddV2' Op has type float32 that does not match type int32 of argument 'x'."
    else:
        raise AssertionError("no error for int32 + float32")


def test_symbolic_tensors_print_and_refuse_python_truth():
    graph, out = _trace(lambda x: tf.reduce_sum(x, axis=0), ("x", (2, 3), np.float32))
    assert str(out) == 'Tensor("tensor:0", shape=(3,), dtype=float32)'
    try:
        bool(out)
    except TypeError as err:
        assert "tf.cond" in str(err)
    else:
        raise AssertionError("bool() of a symbolic tensor did not raise")


def test_executing_eagerly_is_false_while_a_graph_is_built():
    seen = []
    _trace(lambda x: seen.append(tf.executing_eagerly()) or x, ("x", (), np.float32))
    assert seen == [False] and tf.executing_eagerly()


def test_stop_gradient_is_an_ir_op_that_blocks_gradients_when_lowered():
    import jax

    from compiler.lower import to_jax_function

    graph, _ = _trace(lambda x: x * tf.stop_gradient(x * x), ("x", (), np.float32))
    assert "stop_gradient(%0) : f32[]" in print_graph(graph)
    lowered = to_jax_function(graph)
    # d/dx [x * stop(x^2)] = x^2 with the stop; 3 x^2 without it
    assert float(jax.grad(lambda v: lowered(v)[0])(np.float32(3.0))) == 9.0
    assert float(tf.stop_gradient(tf.constant(3.0))) == 3.0
