"""tf.function with unknown dimensions: input_signature and TensorSpecs with None, reduce_retracing,
shapes computed from unknown dimensions (operand attributes), and errors only a call can find.

Expected texts were printed by TensorFlow 2.21 (tensorflow-cpu) running the same programs."""
import pathlib

import numpy as np
import pytest

from tests.tfx_lite.tf_programs import assert_prints_what_tf_printed

import tfx_lite as tf
from compiler.parser import parse_program
from compiler.printer import print_program
from compiler.verify import verify

DATA = pathlib.Path(__file__).parent / "data"


@pytest.mark.parametrize("name", ["unknown_dims_program", "shape_operands_program"])
def test_programs_print_what_tf_prints(name):
    """Output shapes of one trace with None dimensions (21 ops), then values for two batch sizes."""
    assert_prints_what_tf_printed(name)


def test_input_signature_traces_once_for_every_batch_size():
    traced = []

    @tf.function(input_signature=[tf.TensorSpec([None, 3], tf.float32)])
    def f(x):
        traced.append(x.shape.as_list())
        return tf.reduce_sum(x, axis=1) * 2.0

    assert f(tf.ones([2, 3])).numpy().tolist() == [6.0, 6.0]
    assert f(tf.ones([5, 3])).numpy().tolist() == [6.0] * 5
    assert f(np.ones([1, 3], np.float32)).numpy().tolist() == [6.0]
    assert traced == [[None, 3]]  # Python side effects once, with TF's unknown dimension
    assert f.experimental_get_tracing_count() == 1
    concrete = f.get_concrete_function()
    assert [t.shape.as_list() for t in concrete.inputs] == [[None, 3]]
    assert [t.shape.as_list() for t in concrete.outputs] == [[None]]
    assert "func @f(%x: f32[?,3]) -> (f32[?])" in str(concrete.graph)


def test_get_concrete_function_with_unknown_dims_serves_later_calls():
    @tf.function
    def g(x):
        return x + 1.0

    concrete = g.get_concrete_function(tf.TensorSpec([None, 3]))
    # TF 2.21: `ConcreteFunction Input Parameters: x (POSITIONAL_OR_KEYWORD): TensorSpec(shape=(None, 3), ...)`
    assert concrete.pretty_printed_signature() == "func @g(%x: f32[?,3]) -> (f32[?,3])"
    assert concrete(tf.zeros([4, 3])).shape == (4, 3)
    assert g(tf.ones([2, 3])).numpy().tolist() == [[2.0] * 3] * 2
    assert g.experimental_get_tracing_count() == 1  # TF: 1
    with pytest.raises(TypeError, match=r"expected a tensor of type f32\[\?,3\]"):
        concrete(tf.ones([2, 4]))


def test_reduce_retracing_relaxes_dimensions_that_differ():
    traced = []

    @tf.function(reduce_retracing=True)
    def f(x):
        traced.append(tuple(x.shape.as_list()))
        return x * 2

    for shape in ([2, 3], [4, 3], [5, 3], [5, 4], [2]):
        assert f(tf.ones(shape)).shape == tuple(shape)
    # TF 2.21 prints: (2, 3), (None, 3), (None, None), <unknown>; a trace needs a known rank here,
    # so the rank-1 call gets its own exact trace instead of an unknown-rank one.
    assert traced == [(2, 3), (None, 3), (None, None), (2,)]
    assert f.experimental_get_tracing_count() == 4  # TF: 4
    assert f.get_concrete_function(tf.ones([7, 3])).pretty_printed_signature() == \
        "func @f(%x: f32[?,3]) -> (f32[?,3])"


def test_without_reduce_retracing_each_shape_traces():
    @tf.function
    def f(x):
        return x * 2

    for n in (1, 2, 3):
        f(tf.ones([n, 3]))
    assert f.experimental_get_tracing_count() == 3


def test_incompatible_shapes_at_the_call_are_invalid_argument():
    @tf.function(input_signature=[tf.TensorSpec([None, 3]), tf.TensorSpec([None, 3])])
    def h(x, y):
        return x + y

    assert h(tf.ones([2, 3]), tf.ones([2, 3])).numpy().tolist() == [[2.0] * 3] * 2
    # TF 2.21: InvalidArgumentError "Incompatible shapes: [2,3] vs. [4,3]\n\t [[{{node add}}]] [Op:__inference_h_70]"
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"Incompatible shapes: \[2,3\] vs. \[4,3\]"):
        h(tf.ones([2, 3]), tf.ones([4, 3]))
    # TF 2.21: TypeError "Binding inputs to tf.function failed due to `Can not cast
    # TensorSpec(shape=(2, 4), dtype=tf.float32, name=None) to TensorSpec(shape=(None, 3), ...)`"
    with pytest.raises(TypeError, match=r"Can not cast TensorSpec\(shape=\(2, 4\), dtype=tf.float32, "
                                        r"name=None\) to TensorSpec\(shape=\(None, 3\)"):
        h(tf.ones([2, 4]), tf.ones([4, 4]))


def test_shape_arguments_from_unknown_dims_become_operands_in_the_ir():
    @tf.function(input_signature=[tf.TensorSpec([None, 3])])
    def f(x):
        return tf.reshape(x, [tf.shape(x)[0], -1]), tf.zeros(tf.shape(x))

    concrete = f.get_concrete_function()
    text = print_program(concrete.optimized_graph)
    assert "reshape(%x, %3) {shape=operand(1)} : f32[?,3]" in text
    assert "zeros(%0) {dtype='float32', shape=operand(0)} : f32[?,3]" in text
    parsed = parse_program(text)
    verify(parsed)
    assert print_program(parsed) == text
    a, b = f(tf.ones([4, 3]))
    assert a.shape == (4, 3) and b.numpy().sum() == 0.0


def test_shape_from_tensor_values_is_refused_while_tracing():
    @tf.function(input_signature=[tf.TensorSpec([None, 3])])
    def f(x):
        return tf.zeros([tf.cast(tf.reduce_sum(x), tf.int32)])

    with pytest.raises(ValueError, match="depends on tensor values, not only on shapes"):
        f(tf.ones([2, 3]))


def test_nested_function_with_unknown_dims_is_a_call_node():
    @tf.function
    def inner(x):
        return tf.reduce_max(x, axis=0)

    @tf.function(input_signature=[tf.TensorSpec([None, 2])])
    def outer(x):
        return inner(x) + 1.0

    assert outer(tf.constant([[1.0, 5.0], [3.0, 2.0]])).numpy().tolist() == [4.0, 6.0]
    assert outer(tf.constant([[1.0, 5.0]])).numpy().tolist() == [2.0, 6.0]
    assert "call(%x) {fn=@inner} : f32[2]" in print_program(outer.get_concrete_function().graph)


def test_compiler_ir_of_unknown_dims_needs_example_tensors():
    @tf.function(input_signature=[tf.TensorSpec([None, 3])])
    def f(x):
        return x * 2.0

    assert "tensor<2x3xf32>" in f.experimental_get_compiler_ir(tf.ones([2, 3]))(stage="hlo")
    assert "f32[?,3]" in f.experimental_get_compiler_ir()(stage="optimized")
    with pytest.raises(ValueError, match="unknown dimensions"):
        f.experimental_get_compiler_ir()(stage="hlo")


def test_variables_update_from_a_function_with_unknown_dims():
    v = tf.Variable(0.0)

    @tf.function(input_signature=[tf.TensorSpec([None])])
    def accumulate(x):
        v.assign_add(tf.reduce_sum(x))
        return v.read_value()

    accumulate(tf.ones([3]))
    assert accumulate(tf.ones([5])).numpy() == 8.0
    assert accumulate.experimental_get_tracing_count() == 1
