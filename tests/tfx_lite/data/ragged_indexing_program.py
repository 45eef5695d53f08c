"""tf.RaggedTensor indexing: rt[i], slices of rows and of the ragged dimension, ragged_rank 2, and errors
(run by tests/tfx_lite/test_ragged.py; ragged_indexing_program.tf.txt is what TensorFlow 2.21 printed)."""
from program import run, tf  # noqa: F401


rt = tf.ragged.constant([[3, 1, 4, 1], [], [5, 9, 2], [6], []])
ft = tf.ragged.constant([[1.5, -2.0], [0.25], [], [4.0, 3.0, -1.0]])
rt2 = tf.ragged.constant([[[1, 2], [3]], [], [[4], [], [5, 6, 7]]])

print("== indexing")
for name, fn in [("rt[1]", lambda: rt[1]), ("rt[0]", lambda: rt[0]), ("rt[-1]", lambda: rt[-1]),
                 ("rt[1:3]", lambda: rt[1:3]), ("rt[::2]", lambda: rt[::2]), ("rt[:, :2]", lambda: rt[:, :2]),
                 ("rt[:, 1:]", lambda: rt[:, 1:]), ("rt[:, -1:]", lambda: rt[:, -1:]), ("rt[0, 2]", lambda: rt[0, 2]),
                 ("rt[2, -1]", lambda: rt[2, -1]), ("rt[2, 1:]", lambda: rt[2, 1:]), ("rt[...]", lambda: rt[...]),
                 ("rt2[2]", lambda: rt2[2]), ("rt2[2, 2]", lambda: rt2[2, 2]), ("rt2[2, 2, 1]", lambda: rt2[2, 2, 1]),
                 ("rt2[:, :1]", lambda: rt2[:, :1]), ("rt2[:, :, :1]", lambda: rt2[:, :, :1])]:
    run(name, fn)
run("rt[5]", lambda: rt[5])
run("rt[-6]", lambda: rt[-6], message=False)
run("rt[1, 0]", lambda: rt[1, 0], message=False)
run("rt[:, 0]", lambda: rt[:, 0])
run("rt[0, 0, 0]", lambda: rt[0, 0, 0], message=False)
run("rt[::-1]", lambda: rt[::-1])
run("rt[2:4, 1:]", lambda: rt[2:4, 1:])
run("rt[:, ::2]", lambda: rt[:, ::2])
run("rt[tf.newaxis]", lambda: rt[tf.newaxis])
run("rt[:, tf.newaxis]", lambda: rt[:, tf.newaxis])
run("rt[tf.constant(2)]", lambda: rt[tf.constant(2)])
run("ft[3][1:]", lambda: ft[3][1:])
run("ft[:, 0:1]", lambda: ft[:, 0:1])
run("strings[0, 1]", lambda: tf.ragged.constant([["a", "bc"], []])[0, 1])
run("rt[:3][:, :1]", lambda: rt[:3][:, :1])
run("rt['a']", lambda: rt["a"])
