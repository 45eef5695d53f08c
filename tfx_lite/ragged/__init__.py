"""tf.ragged: building and working with RaggedTensors."""
from tfx_lite.ragged.ragged_factory import constant  # noqa: F401
from tfx_lite.ragged.ragged_functions import (  # noqa: F401
    boolean_mask, map_flat_values, range, row_splits_to_segment_ids, segment_ids_to_row_splits, stack)
from tfx_lite.ragged.ragged_tensor import RaggedTensor, RaggedTensorSpec, is_ragged  # noqa: F401
# the TF ops' ragged handlers register on import
from tfx_lite.ragged import (ragged_array_ops, ragged_elementwise, ragged_map_fn,  # noqa: F401,E402
                             ragged_reductions, ragged_shape)
from tfx_lite.ragged import ragged_operators as _ragged_operators  # noqa: E402

_ragged_operators.install()
