"""tf.data: input pipelines (see dataset.py)."""
from tfx_lite.data import experimental  # noqa: F401
from tfx_lite.data.dataset import AUTOTUNE, Dataset  # noqa: F401
from tfx_lite.data.experimental import INFINITE_CARDINALITY, UNKNOWN_CARDINALITY, Options  # noqa: F401
from tfx_lite.data.iterator import NumpyIterator, OwnedIterator as Iterator  # noqa: F401
from tfx_lite.data.windowing import DatasetSpec  # noqa: F401
