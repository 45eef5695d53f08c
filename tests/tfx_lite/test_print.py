"""tf.print: TF's text (recorded in data/print_program.tf.txt), eagerly and inside tf.function,
where it is a `print` node that passes keep and that prints at every call."""
import sys

import pytest

import tfx_lite as tf
from compiler.passes.dce import dce
from tests.tfx_lite.tf_programs import assert_prints_what_tf_printed


def test_print_program_prints_what_tf_printed():
    assert_prints_what_tf_printed("print_program")


def test_eager_print_writes_at_once(capsys):
    tf.print("x:", tf.constant([[1.0, 2.5], [3.0, 4.0]]), {"k": tf.range(8)}, output_stream=sys.stdout)
    tf.print(tf.constant(0.1), end="|")
    captured = capsys.readouterr()
    assert captured.out == "x: [[1 2.5]\n [3 4]] {'k': [0 1 2 ... 5 6 7]}\n"
    assert captured.err == "0.1|"


def test_a_function_prints_at_every_call_with_the_call_values(capsys):
    @tf.function
    def f(x):
        tf.print("x =", x, output_stream=sys.stdout)
        return x + 1

    for i in range(3):
        f(tf.constant(i))
        print("after", i)
    assert capsys.readouterr().out == "x = 0\nafter 0\nx = 1\nafter 1\nx = 2\nafter 2\n"


def test_the_ir_shows_the_print_node_and_dce_keeps_it():
    @tf.function
    def f(x):
        tf.print("x =", x, [x * 2], summarize=-1, sep=",", output_stream=sys.stdout)
        return tf.constant(0.0)

    text = tf.dump_ir(f, tf.constant([1.0, 2.0]))
    line = next(line for line in text.splitlines() if "print(" in line)
    assert line.strip().startswith("print(%x, %")
    assert "template=(('x =',), ('', ''), ('[', ']'))" in line
    assert "stream='stdout'" in line and "summarize=-1" in line and "sep=','" in line and "end='\\n'" in line
    assert " = print(" not in line  # no outputs
    graph = f.get_concrete_function(tf.constant([1.0, 2.0])).graph
    assert any(n.op == "print" for n in dce(graph).nodes)
    assert "mul(" in tf.dump_ir(f, tf.constant([1.0, 2.0]))  # the printed product is kept too


def test_print_under_a_tape_and_in_a_gradient(capsys):
    @tf.function
    def f(x):
        tf.print("f", x, output_stream=sys.stdout)
        return x * x

    x = tf.Variable(3.0)
    with tf.GradientTape() as tape:
        y = f(x)
    assert float(tape.gradient(y, x)) == 6.0
    assert capsys.readouterr().out == "f 3\n"

    @tf.function
    def g(x):
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = x * x
            tf.print("y", y, output_stream=sys.stdout)
        return tape.gradient(y, x)

    assert float(g(tf.constant(2.0))) == 4.0
    assert float(g(tf.constant(5.0))) == 10.0
    assert capsys.readouterr().out == "y 4\ny 25\n"


def test_unsupported_streams_are_refused():
    with pytest.raises(ValueError, match="output stream"):
        tf.print("x", output_stream="file:///tmp/out.txt")
    with pytest.raises(ValueError, match="keyword"):
        tf.print("x", colour="red")
