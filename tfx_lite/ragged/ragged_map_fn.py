"""tf.map_fn over the rows of RaggedTensors."""
from __future__ import annotations

import numpy as np

from tfx_lite.framework import dtypes
from tfx_lite.framework.convert import convert_to_tensor
from tfx_lite.framework.dispatch import dispatch_for
from tfx_lite.ops import array_ops, control_flow_ops
from tfx_lite.ragged.ragged_array_ops import concat_rows
from tfx_lite.ragged.ragged_tensor import RaggedTensor, is_ragged


# --- map_fn over rows -------------------------------------------------------------------------
@dispatch_for(control_flow_ops.map_fn)
def _map_fn(fn, elems, dtype=None, parallel_iterations=None, back_prop=True, swap_memory=False,
            infer_shape=True, name=None, fn_output_signature=None):
    """tf.map_fn over the rows of ragged elems (eagerly, one call per row). The result is
    ragged unless `fn_output_signature` (or `dtype`) says a dense tensor."""
    leaves = list(elems) if isinstance(elems, (list, tuple)) else [elems]
    if not any(is_ragged(e) for e in leaves):
        return NotImplemented
    for e in leaves:
        if is_ragged(e) and not e._is_eager():
            raise TypeError("tf.map_fn over the rows of a RaggedTensor inside a tf.function: each row "
                            "has its own length, which XLA cannot compile; call it eagerly")
    signature = fn_output_signature if fn_output_signature is not None else dtype
    nrows = int(np.asarray(leaves[0].nrows() if is_ragged(leaves[0]) else array_ops.shape(leaves[0])[0]))
    rows = []
    for i in range(nrows):
        row = [e[i] for e in leaves]
        rows.append(fn(tuple(row) if isinstance(elems, (list, tuple)) else row[0]))
    from tfx_lite.ragged.ragged_tensor import RaggedTensorSpec
    if signature is None or isinstance(signature, RaggedTensorSpec):
        ragged_out = True
        out_dtype = signature.dtype if signature is not None else None
    else:
        ragged_out = False
        out_dtype = getattr(signature, "dtype", signature)
    rows = [r if is_ragged(r) else convert_to_tensor(r) for r in rows]
    if out_dtype is not None:
        out_dtype = dtypes.as_dtype(out_dtype)
        for r in rows:
            if r.dtype != out_dtype:
                raise TypeError(f"tf.map_fn: fn returned {r.dtype.name} values but the output signature "
                                f"says {out_dtype.name}")
    if not ragged_out:
        return array_ops.stack(rows) if rows else array_ops.zeros([0], out_dtype or leaves[0].dtype)
    if not rows:
        return leaves[0]
    if all(not is_ragged(r) and r.shape.rank == 0 for r in rows):
        return array_ops.stack(rows)
    lengths = [r.nrows() if is_ragged(r) else array_ops.shape(r, out_type=dtypes.int64)[0] for r in rows]
    values = concat_rows(rows) if is_ragged(rows[0]) else array_ops.concat(rows, 0)
    return RaggedTensor.from_row_lengths(values, array_ops.stack(lengths), validate=False)
