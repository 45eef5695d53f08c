"""keras.layers."""
from tfx_lite.keras.layers.activation_layers import ELU, Activation, LeakyReLU, ReLU, Softmax  # noqa: F401
from tfx_lite.keras.layers.conv import Conv1D, Conv2D, Conv2DTranspose  # noqa: F401
from tfx_lite.keras.layers.core import Dense  # noqa: F401
from tfx_lite.keras.layers.embedding import Embedding  # noqa: F401
from tfx_lite.keras.layers.input_layer import Input, InputLayer  # noqa: F401
from tfx_lite.keras.layers.layer import Layer  # noqa: F401
from tfx_lite.keras.layers.merging import (Add, Average, Concatenate, Maximum, Minimum,  # noqa: F401
                                           Multiply, Subtract)
from tfx_lite.keras.layers.normalization import BatchNormalization, LayerNormalization  # noqa: F401
from tfx_lite.keras.layers.pooling import (AveragePooling1D, AveragePooling2D,  # noqa: F401
                                           GlobalAveragePooling1D, GlobalAveragePooling2D,
                                           GlobalMaxPooling1D, GlobalMaxPooling2D, MaxPooling1D,
                                           MaxPooling2D)
from tfx_lite.keras.layers.preprocessing import Rescaling  # noqa: F401
from tfx_lite.keras.layers.regularization import Dropout  # noqa: F401
from tfx_lite.keras.layers.reshaping import Flatten, Reshape  # noqa: F401
from tfx_lite.keras.layers.rnn import GRU, LSTM, GRUCell, LSTMCell, SimpleRNN, SimpleRNNCell  # noqa: F401
