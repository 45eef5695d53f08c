"""Tensor.__getitem__: TF's strided-slice indexing (ints, slices, Ellipsis, newaxis)."""
from __future__ import annotations

from tfx_lite.framework import errors
from tfx_lite.framework.op_call import call
from tfx_lite.ops.static_args import static_value


def _encode(key, shape):
    """The index as a hashable attribute: ('i', n) | ('s', start, stop, step) | ('e',) | ('n',)."""
    items = key if isinstance(key, tuple) else (key,)
    out = []
    dim = 0
    for item in items:
        if item is None:
            out.append(("n",))
        elif item is Ellipsis:
            out.append(("e",))
            dim = len(shape) - sum(1 for i in items if i is not None and i is not Ellipsis) + dim
        elif isinstance(item, slice):
            out.append(("s", *(None if v is None else int(static_value(v, "slice bound"))
                               for v in (item.start, item.stop, item.step))))
            dim += 1
        else:
            index = int(static_value(item, "index"))
            size = shape[dim] if dim < len(shape) else None
            if dim >= len(shape):
                raise errors.InvalidArgumentError(
                    None, None, f"Index out of range using input dim {len(shape)}; input has only "
                                f"{len(shape)} dims [Op:StridedSlice]")
            if size is not None and not -size <= index < size:
                raise errors.InvalidArgumentError(
                    None, None, f"slice index {index} of dimension {dim} out of bounds. [Op:StridedSlice]")
            out.append(("i", index))
            dim += 1
    return tuple(out)


def getitem(tensor, key):
    return call("StridedSlice", "strided_slice", tensor, key=_encode(key, tensor._value.shape))
