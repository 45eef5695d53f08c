"""What the TF-recorded programs share: `tf` is TensorFlow (`python NAME.py tf`, run once to
record NAME.tf.txt) or tfx_lite (`python NAME.py tfx_lite`, run by the tests), `v1` its
`compat.v1`, and `run` prints a result or the error raised, in a form that does not depend on op
traces."""
import re
import sys

import numpy as np

if sys.argv[1] == "tf":
    import tensorflow as tf  # noqa: F401
else:
    import tfx_lite as tf  # noqa: F401

v1 = tf.compat.v1


def run(what, fn, message=True):
    """Prints the result, or the error's type and (where TF's text is not an op trace) its first line."""
    try:
        print(what, "->", fn())
    except Exception as e:  # noqa: BLE001
        text = (str(e).splitlines() or [""])[0] if message else ""
        print(f"{what} -> {type(e).__name__} {text}".rstrip())


def run_unwrapped(what, fn):
    """`run`, an error shown by its type and its message's first line without what TF adds
    around graph errors (an "in user code:" trace, a {{function_node ...}} prefix, an [Op:...]
    suffix)."""
    try:
        print(what, "->", fn())
    except Exception as e:  # noqa: BLE001
        lines = [line.strip() for line in str(e).strip().splitlines() if line.strip()]
        text = lines[0] if lines else ""
        if text == "in user code:":
            text = lines[-1].split(": ", 1)[1]
        text = re.sub(r"^\{\{function_node [^}]*\}\} ", "", text).split(" [Op:")[0].rstrip()
        print(f"{what} -> {type(e).__name__} {text}".rstrip())


def rounded(x):
    """A tensor, variable or nest of them as lists, floats rounded to 5 decimals."""
    if isinstance(x, dict):
        return {k: rounded(x[k]) for k in sorted(x)}
    if isinstance(x, tuple):
        return tuple(rounded(v) for v in x)
    if isinstance(x, list):
        return [rounded(v) for v in x]
    value = np.asarray(x.numpy() if hasattr(x, "numpy") else x)
    if value.dtype.kind == "f":
        return np.round(value.astype(np.float64), 5).tolist()
    return value.tolist()
