"""tf.train: checkpoints of objects (Checkpoint, CheckpointManager) and checkpoint readers."""
from tfx_lite.checkpoint.checkpoint import Checkpoint  # noqa: F401
from tfx_lite.checkpoint.manager import CheckpointManager  # noqa: F401
from tfx_lite.checkpoint.reader import CheckpointReader, list_variables, load_checkpoint, load_variable  # noqa: F401
from tfx_lite.checkpoint.state import CheckpointState, get_checkpoint_state, latest_checkpoint  # noqa: F401


class CheckpointOptions:
    """Accepted for compatibility; tfx_lite's checkpoints have no I/O device or sharding options."""

    def __init__(self, experimental_io_device=None, experimental_enable_async_checkpoint=False,
                 experimental_write_callbacks=None, enable_async=False, experimental_sharding_callback=None,
                 experimental_skip_slot_variables=False):
        self.experimental_io_device = experimental_io_device
