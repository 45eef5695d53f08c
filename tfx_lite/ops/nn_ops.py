"""tf.nn: activations, convolutions, pooling, normalization, losses."""
from __future__ import annotations

from tfx_lite.framework.op_call import call, to_tensor

__all__ = ["softmax"]


def softmax(logits, axis=None, name=None):
    x = to_tensor(logits)
    return call("Softmax", "softmax", x, axis=-1 if axis is None else int(axis))
