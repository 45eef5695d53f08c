"""AutoGraph (tfx_lite/autograph): Python control flow on tensors inside tf.function.

data/autograph_program.py printed autograph_program.tf.txt under TensorFlow 2.21 (each construct
eagerly and traced, gradients, print, and TF's errors with the user line they point at);
tfx_lite must print the same. The tests below cover what that program cannot: the converted
code and the IR it stages, constructs TF 2.21 refuses but tfx_lite runs (checked against the
same function run as plain Python), and functions that cannot be converted."""
import logging

import numpy as np
import pytest

import tfx_lite as tf
from tfx_lite.autograph.conversion import ConversionError
from tests.tfx_lite.tf_programs import assert_prints_what_tf_printed


def test_autograph_program_prints_what_tf_prints():
    assert_prints_what_tf_printed("autograph_program")


def _same_eager_and_traced(f, *args):
    eager = f(*args)
    traced = tf.function(f)(*args)
    np.testing.assert_allclose(np.asarray(traced), np.asarray(eager))
    return traced


def branches(x):
    if x > 0:
        y = x * x
    else:
        y = -x
    return y


def test_a_tensor_if_stages_one_cond_node_and_a_python_if_stages_none():
    ir = tf.dump_ir(branches, tf.constant(2.0))
    assert ir.count("cond(") == 1, ir
    assert "%x" in ir

    def python_if(x, flag):
        if flag:
            x = x + 1.0
        return x

    assert "cond(" not in tf.dump_ir(python_if, tf.constant(2.0), True)


def test_a_tensor_while_stages_a_while_loop_node():
    def count(n):
        i = 0
        while i < n:
            i += 1
        return i

    ir = tf.dump_ir(count, tf.constant(5))
    assert "while_loop(" in ir
    assert int(tf.function(count)(tf.constant(5))) == 5


def test_to_code_shows_the_converted_function():
    code = tf.autograph.to_code(branches)
    assert code.startswith("def tf__branches(x):")
    assert "ag__.if_stmt(x > 0, if_body, else_body, get_state, set_state, ('y',), 1)" in code
    assert "nonlocal y" in code
    compile(code, "<to_code>", "exec")  # valid Python


def test_to_graph_gives_a_function_that_runs_eagerly_and_traced():
    converted = tf.autograph.to_graph(branches)
    assert float(converted(tf.constant(-3.0))) == 3.0
    assert float(tf.function(converted)(tf.constant(4.0))) == 16.0


def test_autograph_false_leaves_the_function_alone():
    assert tf.function(branches, autograph=False)._traced_callable() is branches
    with pytest.raises(tf.errors.OperatorNotAllowedInGraphError, match="Python `bool`"):
        tf.function(branches, autograph=False)(tf.constant(1.0))


def test_errors_point_at_the_users_line():
    def f(x):
        y = x + 1.0
        return tf.reshape(y, [5])

    with pytest.raises(ValueError) as info:
        tf.function(f)(tf.ones([3]))
    line = f.__code__.co_firstlineno + 2
    assert f'line {line}, in f  *' in str(info.value)
    assert "return tf.reshape(y, [5])" in str(info.value)
    assert str(info.value).startswith("in user code:")
    assert "reshape" in str(info.value.__cause__)


# --- beyond TF 2.21 (it refuses these; Python runs them, so does tfx_lite) -----------------------

def return_in_loop(n):
    for i in tf.range(n):
        if i * i > 10:
            return i
    return -1


def return_in_while(x):
    i = tf.constant(0)
    while i < 100:
        if x[i] < 0:
            return i
        i += 1
    return i


def nested_returns(x, y):
    if x > 0:
        if y > 0:
            return x + y
        return x - y
    elif y > 0:
        return y
    return tf.constant(0)


def loop_else(n):
    s = 0
    for i in tf.range(n):
        if i > 5:
            break
        s += i
    else:
        s = -s
    i = 0
    while i < n:
        i += 1
    else:
        i = i * 10
    return s, i


@pytest.mark.parametrize("n", [2, 8])
def test_return_inside_a_staged_loop(n):
    _same_eager_and_traced(return_in_loop, tf.constant(n))


def test_return_inside_a_staged_while():
    _same_eager_and_traced(return_in_while, tf.constant([3.0, 1.0, -2.0, 5.0] + [1.0] * 96))


@pytest.mark.parametrize("a,b", [(1, 2), (1, -2), (-1, 2), (-1, -2)])
def test_returns_in_nested_ifs(a, b):
    _same_eager_and_traced(nested_returns, tf.constant(a), tf.constant(b))


@pytest.mark.parametrize("n", [4, 10])
def test_loop_else_clauses(n):
    eager = loop_else(tf.constant(n))
    traced = tf.function(loop_else)(tf.constant(n))
    assert [int(t) for t in traced] == [int(t) for t in eager]


def test_gradient_through_a_converted_loop_with_break_and_return():
    def f(x):
        y = x
        for i in tf.range(6):
            if i == 3:
                break
            y = y * x
        return y

    def grad(x):
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = f(x)
        return tape.gradient(y, x)

    x = tf.constant(1.5)
    assert np.isclose(float(tf.function(grad)(x)), float(grad(x)))  # 4 x^3
    assert np.isclose(float(grad(x)), 4 * 1.5 ** 3)


# --- what cannot be converted ----------------------------------------------------------------

def test_a_function_without_source_runs_as_it_is_with_a_warning(caplog):
    namespace = {}
    exec("def no_source(x):\n    return x * 2\n", namespace)  # noqa: S102
    with caplog.at_level(logging.WARNING, logger="tfx_lite"):
        assert float(tf.function(namespace["no_source"])(tf.constant(2.0))) == 4.0
    assert "could not transform" in caplog.text
    with pytest.raises(ConversionError, match="source"):
        tf.autograph.to_code(namespace["no_source"])


def test_a_python_list_appended_in_a_staged_loop_says_to_use_a_tensor_array():
    def f(n):
        values = []
        for i in tf.range(n):
            values.append(i)
        return tf.stack(values)

    with pytest.raises(ValueError, match="TensorArray"):
        tf.function(f)(tf.constant(3))


def test_dynamic_tensor_array_needs_a_trip_count_known_when_tracing():
    def squares(n):
        ta = tf.TensorArray(tf.int32, size=0, dynamic_size=True)
        for i in tf.range(n):
            ta = ta.write(i, i * i)
        return ta.stack()

    assert tf.function(squares)(5).numpy().tolist() == [0, 1, 4, 9, 16]
    with pytest.raises(ValueError, match="number of iterations is not known"):
        tf.function(squares)(tf.constant(5))


def test_each_function_is_converted_once():
    from tfx_lite.autograph import conversion
    f = tf.function(branches)
    f(tf.constant(1.0))
    f(tf.constant(1))  # a second trace reuses the converted function
    assert conversion.convert(branches) is conversion.convert(branches)
