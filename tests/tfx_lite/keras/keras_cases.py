"""What the Keras tests share: fixed inputs, helpers, and how results are recorded and compared.

Each test file lists `CASES = [(name, expression), ...]`; an expression is Python over the
names of `namespace(tf, losses, metrics, activations, regularizers, utils)`. `record_keras.py`
evaluates them with real TensorFlow 2.21 / Keras 3.15.1 (`keras.losses`, ...) and writes what
they gave into the file's `EXPECTED` block; the tests evaluate them with tfx_lite
(`tfx_lite.keras.losses`, ...) and compare. This module imports neither framework."""
import numpy as np

_R = np.random.RandomState(0)

# regression targets and predictions, (3, 4)
Y_REG = _R.randn(3, 4).astype("float32")
P_REG = (Y_REG + _R.randn(3, 4) * 1.5).astype("float32")
Y_REG3 = _R.randn(2, 3, 4).astype("float32")
P_REG3 = _R.randn(2, 3, 4).astype("float32")
SW3 = np.array([0.5, 1.0, 2.0], "float32")
SW_ZERO = np.array([0.0, 0.0, 0.0], "float32")
SW34 = np.abs(_R.randn(3, 4)).astype("float32")
SW23 = np.array([[1.0, 0.0, 2.0], [0.5, 0.5, 3.0]], "float32")
SW21 = np.array([[2.0], [0.25]], "float32")
Y_POS = (np.abs(_R.randn(3, 4)) + 0.1).astype("float32")  # strictly positive (MSLE, MAPE)
P_POS = (np.abs(_R.randn(3, 4)) + 0.05).astype("float32")
Y_ZEROS = np.array([[0.0, 1.0, 0.0, 2.0]], "float32")  # MAPE's divisor clamp
P_ZEROS = np.array([[0.5, 1.5, 0.0, 1.0]], "float32")

# binary labels, probabilities (some exactly 0 and 1: clipping) and logits (some large)
YB = np.array([[0, 1, 1], [1, 0, 0], [1, 1, 0], [0, 0, 1]], "float32")
PB = np.array([[0.1, 0.9, 0.0], [0.8, 0.3, 1.0], [0.55, 0.45, 0.2], [0.05, 0.5, 0.999]], "float32")
LB = np.array([[-2.0, 3.0, 0.5], [1.5, -0.5, 20.0], [0.0, 4.0, -30.0], [-1.0, 2.5, 0.25]],
              "float32")
YB1 = YB[:, :1]
PB1 = PB[:, :1]
YB_FLAT = YB[:, 0]
YPM = 2 * YB - 1  # -1/1 labels (hinge)

# categorical: one-hot labels, unnormalised probabilities, logits; sparse labels
YC = np.eye(5, dtype="float32")[[1, 0, 4, 2]]
YC_SOFT = np.array([[0.1, 0.6, 0.1, 0.1, 0.1], [0.5, 0.5, 0, 0, 0], [0, 0, 0, 0.25, 0.75],
                    [0.2, 0.2, 0.2, 0.2, 0.2]], "float32")
PC = np.array([[0.1, 0.5, 0.2, 0.1, 0.1], [0.3, 0.3, 0.1, 0.2, 0.4], [0.0, 0.1, 0.1, 0.1, 0.9],
               [0.2, 0.2, 0.5, 0.05, 0.0]], "float32")  # rows 2-4 do not sum to 1
LC = _R.randn(4, 5).astype("float32") * 2
YS = np.array([1, 0, 4, 2], "int32")
YS1 = YS[:, None]
YS_F = YS.astype("float32")
YS3 = np.array([[1, 0, 4], [2, 2, 3]], "int32")  # (2, 3) labels for (2, 3, 5) predictions
LC3 = _R.randn(2, 3, 5).astype("float32")
SW4 = np.array([1.0, 0.5, 0.0, 2.0], "float32")

# activations
V = np.linspace(-4, 4, 17).astype("float32")
X23 = _R.randn(2, 3).astype("float32") * 2
X234 = _R.randn(2, 3, 4).astype("float32")
X_BIG = np.array([-100.0, -20.0, -1e-3, 0.0, 1e-3, 20.0, 100.0], "float32")

# AUC / precision / recall: scores in [0, 1] (with exact threshold values), labels
Y_AUC = np.array([0, 1, 1, 0, 1, 0, 0, 1, 1, 0], "float32")
P_AUC = np.array([0.1, 0.8, 0.4, 0.35, 0.5, 0.5, 0.0, 1.0, 0.65, 0.2], "float32")
Y_AUC2 = np.array([1, 0, 1, 1, 0, 0], "float32")
P_AUC2 = np.array([0.3, 0.7, 0.9, 0.25, 0.15, 0.6], "float32")
SW_AUC2 = np.array([1.0, 2.0, 0.5, 1.0, 3.0, 0.0], "float32")
Y_ML = np.array([[1, 0, 1], [0, 1, 1], [1, 1, 0], [0, 0, 1]], "float32")
P_ML = np.array([[0.9, 0.2, 0.6], [0.3, 0.7, 0.4], [0.6, 0.4, 0.1], [0.2, 0.3, 0.8]], "float32")

# weights for the regularizers
W = _R.randn(3, 4).astype("float32")
W64 = W.astype("float64")


def namespace(tf, losses, metrics, activations, regularizers, utils):
    """The names case expressions use, bound to one framework."""

    def const(x, dtype="float32"):
        return tf.constant(np.asarray(x), dtype=dtype)

    def run_metric(metric, calls):
        """Results after each `update_state(*call)`, after `reset_state()`, and after the first
        call again."""
        out = []
        for call in calls:
            metric.update_state(*call)
            out.append(np.asarray(metric.result()))
        metric.reset_state()
        out.append(np.asarray(metric.result()))
        metric.update_state(*calls[0])
        out.append(np.asarray(metric.result()))
        return out

    def grad(loss, y_true, y_pred, *args):
        """[loss, d loss / d y_pred] under a GradientTape."""
        y_pred = tf.constant(np.asarray(y_pred, "float32"))
        with tf.GradientTape() as tape:
            tape.watch(y_pred)
            value = loss(y_true, y_pred, *args)
        return [value, tape.gradient(value, y_pred)]

    def grad_logits(loss, y_true, logits, activation):
        """[loss, d loss / d logits] through a Keras activation (sigmoid/softmax)."""
        logits = tf.constant(np.asarray(logits, "float32"))
        with tf.GradientTape() as tape:
            tape.watch(logits)
            value = loss(y_true, activation(logits))
        return [value, tape.gradient(value, logits)]

    names = {k: v for k, v in globals().items() if k.isupper() and isinstance(v, np.ndarray)}
    names.update(tf=tf, np=np, losses=losses, metrics=metrics, activations=activations,
                 regularizers=regularizers, utils=utils, const=const, run_metric=run_metric,
                 grad=grad, grad_logits=grad_logits)
    return names


# --- recording and comparing ------------------------------------------------------------------
def _float_text(value, dtype):
    """The shortest text that reads back as the same value of `dtype`."""
    if dtype == "float32":
        return float(np.format_float_positional(np.float32(value), unique=True, trim="-")) \
            if np.isfinite(value) else float(value)
    return float(value)


def encode(value):
    """A recorded result as plain Python: arrays as ("array", dtype, shape, flat values)."""
    if isinstance(value, (list, tuple)):
        return [encode(v) for v in value]
    if isinstance(value, dict):
        return {k: encode(v) for k, v in value.items()}
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        return ("float", value)
    array = np.asarray(value)
    dtype = array.dtype.name
    if dtype.startswith("float"):
        flat = [_float_text(v, dtype) for v in array.reshape(-1)]
    else:
        flat = array.reshape(-1).tolist()
    return ("array", dtype, list(array.shape), flat)


def assert_matches(got, want, where, rtol=2e-6, atol=1e-7):
    if isinstance(want, tuple) and want and want[0] == "array":
        _, dtype, shape, flat = want
        array = np.asarray(got)
        assert array.dtype.name == dtype, f"{where}: dtype {array.dtype.name} != Keras' {dtype}"
        assert list(array.shape) == shape, f"{where}: shape {list(array.shape)} != Keras' {shape}"
        expected = np.array(flat, dtype=dtype).reshape(shape)
        if dtype.startswith("float"):
            np.testing.assert_allclose(array, expected, rtol=rtol, atol=atol, equal_nan=True,
                                       err_msg=where)
        else:
            assert array.tolist() == expected.tolist(), f"{where}: {array} != Keras' {expected}"
    elif isinstance(want, tuple) and want and want[0] == "float":
        assert isinstance(got, float), f"{where}: {got!r} is not a float"
        np.testing.assert_allclose(got, want[1], rtol=rtol, atol=atol, err_msg=where)
    elif isinstance(want, tuple) and want and want[0] == "error":
        raise AssertionError(f"{where}: expected {want[1]}, got {got!r}")
    elif isinstance(want, list):
        assert isinstance(got, (list, tuple)) and len(got) == len(want), f"{where}: {got!r}"
        for i, (g, w) in enumerate(zip(got, want)):
            assert_matches(g, w, f"{where}[{i}]", rtol, atol)
    elif isinstance(want, dict):
        assert isinstance(got, dict) and sorted(got) == sorted(want), f"{where}: {got!r} != {want!r}"
        for k in want:
            assert_matches(got[k], want[k], f"{where}[{k!r}]", rtol, atol)
    else:
        assert got == want, f"{where}: {got!r} != Keras' {want!r}"


def evaluate(expression, names):
    """The encoded result of `expression`, or ("error", type name) when it raises."""
    try:
        return encode(eval(expression, dict(names)))
    except Exception as e:  # noqa: BLE001 - recorded as data
        return ("error", type(e).__name__)


def check_case(name, expression, expected, names, rtol=2e-6, atol=1e-7):
    """tfx_lite's result of `expression` against Keras' recorded `expected[name]`."""
    want = expected[name]
    if isinstance(want, tuple) and want and want[0] == "error":
        try:
            eval(expression, dict(names))
        except Exception as e:  # noqa: BLE001
            assert type(e).__name__ == want[1], \
                f"{name}: raised {type(e).__name__}({e}), Keras raises {want[1]}"
            return
        raise AssertionError(f"{name}: no error, Keras raises {want[1]}")
    assert_matches(eval(expression, dict(names)), want, f"{name}: {expression}", rtol, atol)
