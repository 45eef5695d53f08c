"""tf.Variable assignments inside control-flow bodies (tf.cond, tf.case, tf.switch_case,
tf.while_loop, tf.map_fn, tf.scan, tf.foldl): traced (the variable is threaded through the node
and written back after it) and eager.

Expected values were produced by running the same programs under TensorFlow 2.21."""
import re

import numpy as np
import pytest

import tfx_lite as tf
from compiler import parse_program, print_program, program_constants, verify


def values(*xs):
    """Tensors, variables and (nested) lists of them as nested Python numbers."""
    out = []
    for x in xs:
        out.append(values(*x) if isinstance(x, (list, tuple)) else np.asarray(x).tolist())
    return out


# --- cond, case, switch_case ---

def test_cond_assign_traced_both_predicates():
    v = tf.Variable(1.0)

    @tf.function
    def f(p):
        r = tf.cond(p, lambda: v.assign_add(2.0).read_value() * 10.0,
                    lambda: v.assign(-1.0).read_value())
        return r, v.read_value()

    assert values(*f(tf.constant(True)), v) == [30.0, 3.0, 3.0]
    assert values(*f(tf.constant(False)), v) == [-1.0, -1.0, -1.0]
    assert values(*f(tf.constant(True)), v) == [10.0, 1.0, 1.0]


def test_cond_assign_eager():
    w = tf.Variable(5.0)
    r = tf.cond(tf.constant(True), lambda: w.assign_add(1.0).read_value(), lambda: w.read_value())
    assert values(r, w) == [6.0, 6.0]
    r = tf.cond(tf.constant(False), lambda: w.assign_add(1.0).read_value(),
                lambda: w.read_value() + 100.0)
    assert values(r, w) == [106.0, 6.0]


def test_cond_assign_in_one_branch_only():
    u = tf.Variable([1.0, 2.0])

    @tf.function
    def f(x):
        def yes():
            u.assign_add(x)
            return tf.constant(1)
        return tf.cond(tf.reduce_sum(x) > 0, yes, lambda: tf.constant(0)), u.read_value()

    assert values(*f(tf.constant([1.0, 1.0])), u) == [1, [2.0, 3.0], [2.0, 3.0]]
    assert values(*f(tf.constant([-1.0, -1.0])), u) == [0, [2.0, 3.0], [2.0, 3.0]]


def test_cond_after_a_write_in_the_function():
    w = tf.Variable(2.0)

    @tf.function
    def f(p):
        w.assign(10.0)
        y = w.read_value()
        r = tf.cond(p, lambda: w.assign_add(y).read_value() + y, lambda: w.read_value() - y)
        return r, w.read_value()

    assert values(*f(tf.constant(True)), w) == [30.0, 20.0, 20.0]
    assert values(*f(tf.constant(False)), w) == [0.0, 10.0, 10.0]


def test_nested_tf_function_assigning_in_a_branch():
    z = tf.Variable(0)

    @tf.function
    def inc(k):
        z.assign_add(k)
        return z.read_value()

    @tf.function
    def f(p):
        return tf.cond(p, lambda: inc(5), lambda: inc(-1) * 100)

    assert values(f(tf.constant(True)), z) == [5, 5]
    assert values(f(tf.constant(False)), z) == [400, 4]


def test_switch_case_assign():
    s = tf.Variable(0)

    @tf.function
    def f(i):
        return tf.switch_case(i, [lambda: s.assign_add(1).read_value(),
                                  lambda: s.assign(s * 10).read_value(),
                                  lambda: s.read_value() - 1])

    got = [values(f(tf.constant(i)), s) for i in (0, 1, 0, 2, 7)]  # 7: out of range, the last
    assert got == [[1, 1], [10, 10], [11, 11], [10, 11], [10, 11]]


def test_case_assign():
    c = tf.Variable(0)

    @tf.function
    def f(x):
        return tf.case([(x > 10, lambda: c.assign_add(100).read_value()),
                        (x > 0, lambda: c.assign_add(1).read_value())],
                       default=lambda: c.assign(0).read_value())

    got = [values(f(tf.constant(x)), c) for x in (5, 20, -1, 3)]
    assert got == [[1, 1], [101, 101], [0, 0], [1, 1]]


# --- while_loop ---

def test_while_accumulator_and_state_carries_over_calls():
    acc = tf.Variable(0)

    @tf.function
    def f(n):
        def body(i):
            acc.assign_add(i)
            return i + 1
        return tf.while_loop(lambda i: i < n, body, [tf.constant(0)])

    assert values(f(tf.constant(10)), acc) == [[10], 45]
    assert values(f(tf.constant(10)), acc) == [[10], 90]


def test_while_assign_eager():
    acc = tf.Variable(0)

    def body(i):
        acc.assign_add(i * i)
        return (i + 1,)

    assert values(tf.while_loop(lambda i: i < 5, body, (tf.constant(0),)), acc) == [[5], 30]


def test_read_after_assign_in_the_body():
    c = tf.Variable(1.0)

    @tf.function
    def f():
        def body(i, x):
            c.assign(c * 2.0)
            y = c.read_value() + x  # sees the new value
            c.assign_add(1.0)
            return i + 1, y
        return tf.while_loop(lambda i, x: i < 4, body, [tf.constant(0), tf.constant(0.0)])

    assert values(*f(), c) == [4, 52.0, 31.0]


def test_loop_cond_reads_the_assigned_variable():
    t = tf.Variable(1)

    @tf.function
    def f():
        def body(i):
            t.assign(t * 3)
            return i + 1
        return tf.while_loop(lambda i: t < 100, body, [tf.constant(0)])

    assert values(f(), t) == [[5], 243]


def test_value_read_before_the_loop_is_not_carried():
    v = tf.Variable(1.0)

    @tf.function
    def f():
        x = v.read_value()

        def body(i):
            v.assign_add(x)
            return i + 1
        tf.while_loop(lambda i: i < 3, body, [0])
        return x, v.read_value()

    assert values(*f(), v) == [1.0, 4.0, 4.0]


def test_nested_cond_in_while():
    n = tf.Variable(0)
    m = tf.Variable(100)

    @tf.function
    def f(k):
        def body(i):
            tf.cond(i % 3 == 0, lambda: n.assign_add(i), lambda: m.assign_sub(1))
            return i + 1
        return tf.while_loop(lambda i: i < k, body, [tf.constant(0)])

    assert values(f(tf.constant(10)), n, m) == [[10], 18, 94]
    assert values(f(tf.constant(4)), n, m) == [[4], 21, 92]


def test_while_in_while_and_maximum_iterations():
    a = tf.Variable(0)
    m = tf.Variable(0)

    @tf.function
    def f():
        def outer(i):
            def inner(j):
                a.assign_add(j)
                return j + 1
            tf.while_loop(lambda j: j < i, inner, [0])
            a.assign(a * 2)
            return i + 1
        return tf.while_loop(lambda i: i < 4, outer, [0])

    @tf.function
    def g():
        def body(i):
            m.assign_add(1)
            return i + 1
        return tf.while_loop(lambda i: i < 100, body, [0], maximum_iterations=7)

    assert values(f(), a) == [[4], 10]
    assert values(g(), m) == [[7], 7]


# --- map_fn, scan, foldl ---

def test_map_fn_and_scan_assign_traced():
    k = tf.Variable(0.0)
    j = tf.Variable(1.0)

    @tf.function
    def f(xs):
        def fn(x):
            k.assign_add(x)
            return x * k
        return tf.map_fn(fn, xs)

    @tf.function
    def g(xs):
        def fn(a, x):
            j.assign(j * x)
            return a + j
        return tf.scan(fn, xs, initializer=tf.constant(0.0))

    assert values(f(tf.constant([1.0, 2.0, 3.0])), k) == [[1.0, 6.0, 18.0], 6.0]
    assert values(g(tf.constant([1.0, 2.0, 3.0])), j) == [[1.0, 3.0, 9.0], 6.0]


def test_map_fn_foldl_scan_assign_eager():
    k = tf.Variable(0.0)

    def fn(x):
        k.assign_add(x)
        return x + k

    assert values(tf.map_fn(fn, tf.constant([1.0, 2.0, 3.0])), k) == [[2.0, 5.0, 9.0], 6.0]

    s = tf.Variable(0.0)

    def step(acc, x):
        s.assign_add(x)
        return acc + s

    assert values(tf.foldl(step, tf.constant([1.0, 2.0, 3.0])), s) == [8.0, 5.0]
    assert values(tf.scan(step, tf.constant([1.0, 2.0, 3.0]), reverse=True), s) == \
        [[18.0, 10.0, 3.0], 8.0]


def test_random_op_in_a_branch_draws_new_numbers_each_call():
    # a random op's call counter is state like a variable (no TF values: its numbers differ)
    f = tf.function(lambda p: tf.cond(p > 0, lambda: tf.random.uniform([]), lambda: p))
    a, b = float(f(tf.constant(1.0))), float(f(tf.constant(1.0)))
    assert a != b and 0 <= a < 1 and 0 <= b < 1
    assert float(f(tf.constant(-1.0))) == -1.0


# --- the IR ---

def test_ir_threads_the_variable_through_cond_and_while():
    v = tf.Variable(1.0, name="v")
    acc = tf.Variable(0, name="acc")

    @tf.function
    def f(p):
        return tf.cond(p, lambda: v.assign_add(2.0).read_value() * 10.0, lambda: v.read_value())

    @tf.function
    def g(n):
        def body(i):
            acc.assign_add(i)
            return i + 1
        return tf.while_loop(lambda i: i < n, body, [0])

    text = tf.dump_ir(f, tf.constant(True))
    # the variable goes in, and its new value comes out as a second result of cond and of f
    assert re.search(r"%\w+, %\w+ = cond\(%p, %v\) \{false=@cond_false, true=@cond_true\} : "
                     r"f32\[\], f32\[\]", text), text
    assert "func @cond_false(%v: f32[]) -> (f32[], f32[])" in text
    text = tf.dump_ir(g, tf.constant(10))
    # the variable is a loop-carried value (num_vars=2) after the loop var
    assert re.search(r"= while_loop\(%\w+, %acc, %n\) \{body=@while_body, cond=@while_cond, "
                     r"num_cond_extra=1, num_vars=2\}", text), text
    assert "func @while_body(%arg0: i32[], %acc: i32[]) -> (i32[], i32[])" in text
    for fn, arg in ((f, tf.constant(True)), (g, tf.constant(10))):
        graph = fn.get_concrete_function(arg).graph
        printed = print_program(verify(graph))
        assert print_program(verify(parse_program(printed, program_constants(graph)))) == printed


def test_ir_of_map_fn_carries_state():
    k = tf.Variable(0.0, name="k")

    def f(xs):
        def fn(x):
            k.assign_add(x)
            return x * k
        return tf.map_fn(fn, xs)

    graph = tf.function(f).get_concrete_function(tf.constant([1.0, 2.0])).graph
    printed = print_program(verify(graph))
    assert re.search(r"= map\(%xs, %k\) \{fn=@map_fn_body, num_elems=1, num_state=1\}", printed), \
        printed
    assert print_program(verify(parse_program(printed, program_constants(graph)))) == printed


# --- errors ---

def test_shape_change_in_a_body_raises():
    v = tf.Variable([1.0], shape=tf.TensorShape([None]))

    @tf.function
    def loop():
        def body(i):
            v.assign(tf.concat([v, [2.0]], 0))
            return i + 1
        return tf.while_loop(lambda i: i < 3, body, [0])

    @tf.function
    def branch(p):
        return tf.cond(p, lambda: v.assign(tf.concat([v, [2.0]], 0)) is None, lambda: False)

    # TF's resource variables may change shape here; XLA's loops and conds cannot
    with pytest.raises(ValueError, match=r"enters the loop with shape \[1\] but has shape \[2\]"):
        loop()
    with pytest.raises(ValueError, match=r"branches leave variable 'Variable:0' with different "
                                         r"shapes \(\[2\] and \[1\]\)"):
        branch(tf.constant(True))


def test_unsupported_writes_raise():
    v = tf.Variable([3.0])

    @tf.function
    def f():
        return tf.while_loop(lambda i: v.assign([3.0]) is None, lambda i: i + 1, [0])

    with pytest.raises(NotImplementedError, match="in its while_cond function is not supported"):
        f()
    with pytest.raises(NotImplementedError, match="use tf.map_fn"):
        tf.vectorized_map(lambda x: v.assign(x), tf.constant([[1.0], [2.0]]))
