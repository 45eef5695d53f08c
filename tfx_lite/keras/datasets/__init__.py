"""tf.keras.datasets: `load_data()` for mnist, fashion_mnist and cifar10, reading the standard files
from the Keras cache (`$KERAS_HOME/datasets` or `~/.keras/datasets`) and downloading them once when
absent; offline, a DatasetDownloadError (an OSError) says where to put the file by hand."""
from tfx_lite.keras.datasets import cifar10, fashion_mnist, mnist  # noqa: F401
from tfx_lite.keras.datasets._cache import DatasetDownloadError  # noqa: F401
