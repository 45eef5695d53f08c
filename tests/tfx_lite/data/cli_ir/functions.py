"""Functions for tests/tfx_lite/test_cli_ir.py (`tfx-lite ir functions.py:NAME`)."""
import tfx_lite as tf


@tf.function(input_signature=[tf.TensorSpec([None, 3], tf.float32)])
def scale(x):
    return x * 2.0


def affine(x, y):
    """A plain function: `--input` gives its inputs. `x * y` twice (CSE merges them), a
    constant product (constant folding) and an unused exp (DCE drops it)."""
    a = x * y
    b = x * y
    c = tf.constant(2.0) * tf.constant(3.0)
    _ = tf.exp(x)
    return a + b + c


@tf.function
def called(x):
    return tf.exp(x) + 1.0


called(tf.ones([2]))  # traced while the script runs


@tf.function
def loop(x):
    _, y = tf.while_loop(lambda i, y: i < 3, lambda i, y: (i + 1, y * 2.0), [tf.constant(0), x])
    return tf.cond(tf.reduce_sum(y) > 0.0, lambda: y, lambda: -y)


class Dense(tf.Module):
    def __init__(self):
        super().__init__()
        self.w = tf.Variable(tf.ones([3, 2]), name="w")

    @tf.function
    def __call__(self, x):
        return tf.matmul(x, self.w)

    def predict_step(self, x, training=False):
        return tf.nn.relu(self(x)) if not training else self(x)


model = Dense()
model(tf.ones([1, 3]))  # traces model.__call__


def scaled(x, factor):
    return x * factor


EXAMPLE_ARGS = {"scaled": (tf.TensorSpec([4], tf.float32), 3.0)}


def no_inputs(x):
    return x


if __name__ == "__main__":
    raise SystemExit("the __main__ block must not run under tfx-lite ir")
