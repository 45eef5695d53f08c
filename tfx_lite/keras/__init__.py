"""tf.keras on tfx_lite: layers are tf.Modules, `fit` traces its train step with tfx_lite's
tf.function (Keras 3 names, with the TF 2 behaviours listed in ../shared/DESIGN.md)."""
from tfx_lite.keras import (activations, backend, callbacks, datasets, initializers, layers, losses, metrics,  # noqa: F401
                            models, optimizers, regularizers, saving, utils)
from tfx_lite.keras.layers import Input, Layer  # noqa: F401
from tfx_lite.keras.models import Model, Sequential  # noqa: F401
