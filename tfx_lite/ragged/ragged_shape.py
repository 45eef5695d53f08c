"""tf.shape, tf.size and tf.rank of RaggedTensors."""
from __future__ import annotations

import numpy as np

from tfx_lite.framework import dtypes
from tfx_lite.framework.convert import convert_to_tensor
from tfx_lite.framework.dispatch import dispatch_for
from tfx_lite.ops import array_ops
from tfx_lite.ragged.ragged_tensor import _host, is_ragged


# --- shape, size and rank ----------------------------------------------------------------------------
class DynamicRaggedShape:
    """What tf.shape returns for a RaggedTensor: the number of rows, then each ragged dimension's
    row lengths (uniform dimensions as ints). Eager-only."""

    def __init__(self, lengths, num_row_partitions):
        self._lengths = lengths
        self.num_row_partitions = num_row_partitions

    @property
    def rank(self):
        return len(self._lengths)

    def __getitem__(self, i):
        return self._lengths[i]

    def __repr__(self):
        dims = [str(d) if isinstance(d, int) else "(" + ", ".join(str(int(x)) for x in d) + ")"
                for d in self._lengths]
        return f"<DynamicRaggedShape lengths=[{', '.join(dims)}] num_row_partitions={self.num_row_partitions}>"


@dispatch_for(array_ops.shape)
def _shape(input, out_type=None, name=None):  # noqa: A002
    rt = input
    if not is_ragged(rt):
        return NotImplemented
    lengths = [int(np.asarray(rt.nrows()))]
    inner = rt
    while is_ragged(inner):
        row_lengths = _host(inner.row_lengths(), "tf.shape of a RaggedTensor")
        uniform = inner._uniform_row_length
        lengths.append(uniform if uniform is not None else tuple(row_lengths.tolist()))
        inner = inner.values
    lengths += [int(d) for d in inner.shape[1:]]
    return DynamicRaggedShape(lengths, rt.ragged_rank)


@dispatch_for(array_ops.size)
def _size(input, out_type=None, name=None):  # noqa: A002
    if not is_ragged(input):
        return NotImplemented
    return array_ops.size(input.flat_values, out_type=out_type or dtypes.int32)


@dispatch_for(array_ops.rank)
def _rank(input, name=None):  # noqa: A002
    if not is_ragged(input):
        return NotImplemented
    return convert_to_tensor(input.shape.rank, dtype=dtypes.int32)
