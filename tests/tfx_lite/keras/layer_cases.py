"""The layer cases that tests/tfx_lite/keras/test_layers.py runs in tfx_lite and that
data/keras_layers_reference.py ran in real Keras (TF 2.21, Keras 3.15.1) to record
data/keras_layers_reference.json. Only numpy here: both programs import this file.

A case: a Keras layer class name and its constructor arguments, input specs, call arguments, and
which weights to fill. Inputs and weights come from formulas (no random numbers), so the JSON only
holds what Keras computed: outputs, weight shapes and names, symbolic output shapes, configs."""
import numpy as np

# An input spec: (shape, kind). kind "float": a smooth signed ramp; ("int", n): ids in [0, n);
# "mask": a boolean pattern.


def make_array(shape, kind="float", salt=0):
    n = int(np.prod(shape))
    i = np.arange(n)
    if kind == "float":
        return (np.sin(i * 0.37 + 0.5 + salt) * 2.0).astype(np.float32).reshape(shape)
    if kind == "mask":
        return ((i * 7 + salt) % 5 != 3).reshape(shape)
    if isinstance(kind, (tuple, list)) and kind[0] == "int":
        return ((i * 3 + salt) % kind[1]).astype(np.int32).reshape(shape)
    raise ValueError(kind)


def make_weights(shapes, positive=False):
    """Deterministic weights for the layer's weight shapes (positive ones for variances)."""
    out = []
    for k, shape in enumerate(shapes):
        i = np.arange(int(np.prod(shape)) if shape else 1)
        if positive:
            w = 0.5 + 0.4 * np.cos(i * 0.61 + k)
        else:
            w = np.sin(i * 0.61 + k + 1.0) * 0.5
        out.append(w.astype(np.float32).reshape(shape))
    return out


def inputs_of(case):
    arrays = [make_array(shape, kind, salt) for salt, (shape, kind) in enumerate(case["inputs"])]
    return arrays if case.get("multi") else arrays[0]


def call_kwargs_of(case):
    kwargs = {}
    for key, value in case.get("call", {}).items():
        if isinstance(value, dict) and "arrays" in value:
            kwargs[key] = [make_array(s, k, 10 + j) for j, (s, k) in enumerate(value["arrays"])]
        elif isinstance(value, dict) and "array" in value:
            shape, kind = value["array"]
            kwargs[key] = make_array(shape, kind, 20)
        else:
            kwargs[key] = value
    return kwargs


def _c(cls, kwargs, *inputs, call=None, multi=False, positive=False, initial=None, after=False):
    case = {"cls": cls, "kwargs": kwargs, "inputs": [(tuple(s), k) for s, k in inputs], "multi": multi,
            "positive": positive}
    if call:
        case["call"] = call
    if initial:
        case["initial"] = initial  # indices of weights whose initial values are deterministic
    if after:
        case["after"] = True  # the weights after the call are recorded (BatchNormalization training)
    return case


F = "float"
SEQ = ((2, 4, 3), F)

CASES = {
    # conv.py
    "conv2d_valid_relu": _c("Conv2D", dict(filters=2, kernel_size=3, activation="relu"), ((2, 5, 5, 3), F)),
    "conv2d_same_strides": _c("Conv2D", dict(filters=4, kernel_size=(3, 2), strides=2, padding="same"),
                              ((2, 5, 6, 3), F)),
    "conv2d_dilation_nobias": _c("Conv2D", dict(filters=2, kernel_size=2, dilation_rate=2, use_bias=False),
                                 ((1, 6, 6, 2), F)),
    "conv2d_groups": _c("Conv2D", dict(filters=4, kernel_size=3, groups=2), ((1, 5, 5, 4), F)),
    "conv1d_causal": _c("Conv1D", dict(filters=2, kernel_size=3, padding="causal", dilation_rate=2),
                        ((2, 7, 3), F)),
    "conv1d_same_stride": _c("Conv1D", dict(filters=3, kernel_size=2, strides=2, padding="same",
                                            activation="tanh"), ((2, 7, 3), F)),
    "conv2dT_same_s2": _c("Conv2DTranspose", dict(filters=2, kernel_size=3, strides=2, padding="same"),
                          ((2, 4, 4, 3), F)),
    "conv2dT_valid_s2": _c("Conv2DTranspose", dict(filters=2, kernel_size=3, strides=2), ((2, 3, 3, 2), F)),
    "conv2dT_valid_k2_s3": _c("Conv2DTranspose", dict(filters=2, kernel_size=2, strides=3), ((1, 3, 2, 2), F)),
    "conv2dT_output_padding": _c("Conv2DTranspose", dict(filters=2, kernel_size=3, strides=2, padding="same",
                                                         output_padding=1), ((1, 3, 3, 2), F)),
    "conv2dT_dilation": _c("Conv2DTranspose", dict(filters=1, kernel_size=2, dilation_rate=2, activation="relu"),
                           ((1, 3, 3, 2), F)),
    "conv2dT_same_s1_k4": _c("Conv2DTranspose", dict(filters=2, kernel_size=(4, 3), padding="same"),
                             ((1, 3, 4, 2), F)),
    # pooling.py
    "maxpool2d_default": _c("MaxPooling2D", dict(), ((2, 4, 5, 2), F)),
    "maxpool2d_same_s1": _c("MaxPooling2D", dict(pool_size=3, strides=1, padding="same"), ((1, 4, 4, 2), F)),
    "avgpool2d_same": _c("AveragePooling2D", dict(pool_size=3, strides=2, padding="same"), ((1, 5, 5, 2), F)),
    "avgpool2d_valid": _c("AveragePooling2D", dict(pool_size=(2, 3)), ((1, 4, 6, 1), F)),
    "maxpool1d_same": _c("MaxPooling1D", dict(pool_size=3, strides=2, padding="same"), ((2, 7, 2), F)),
    "avgpool1d": _c("AveragePooling1D", dict(pool_size=2), ((2, 6, 2), F)),
    "gap2d": _c("GlobalAveragePooling2D", dict(), ((2, 3, 4, 2), F)),
    "gap2d_keepdims": _c("GlobalAveragePooling2D", dict(keepdims=True), ((2, 3, 4, 2), F)),
    "gmp2d": _c("GlobalMaxPooling2D", dict(), ((2, 3, 4, 2), F)),
    "gap1d": _c("GlobalAveragePooling1D", dict(), ((2, 5, 3), F)),
    "gmp1d_keepdims": _c("GlobalMaxPooling1D", dict(keepdims=True), ((2, 5, 3), F)),
    "gap2d_channels_first": _c("GlobalAveragePooling2D", dict(data_format="channels_first"), ((2, 3, 4, 2), F)),
    # reshaping.py
    "flatten": _c("Flatten", dict(), ((2, 3, 2, 2), F)),
    "flatten_channels_first": _c("Flatten", dict(data_format="channels_first"), ((2, 3, 2, 2), F)),
    "reshape_minus_one": _c("Reshape", dict(target_shape=(4, -1)), ((2, 3, 4), F)),
    "reshape_flat": _c("Reshape", dict(target_shape=(12,)), ((2, 3, 4), F)),
    # regularization.py
    "dropout_inference": _c("Dropout", dict(rate=0.5), ((2, 5), F), call=dict(training=False)),
    "dropout_noise_shape": _c("Dropout", dict(rate=0.3, noise_shape=(None, 1, 4), seed=3), ((2, 3, 4), F)),
    # normalization.py
    "batchnorm_inference": _c("BatchNormalization", dict(), ((3, 4), F), positive=True, initial=[0, 1, 2, 3],
                              call=dict(training=False)),
    "batchnorm_training": _c("BatchNormalization", dict(momentum=0.9), ((4, 3), F), positive=True,
                             call=dict(training=True), after=True),
    "batchnorm_axis1_training": _c("BatchNormalization", dict(axis=1, center=False, epsilon=0.01),
                                   ((2, 3, 2, 2), F), positive=True, call=dict(training=True), after=True),
    "batchnorm_conv_inference": _c("BatchNormalization", dict(scale=False), ((2, 2, 2, 3), F), positive=True),
    "layernorm": _c("LayerNormalization", dict(), ((2, 3, 4), F), initial=[0, 1]),
    "layernorm_axes": _c("LayerNormalization", dict(axis=[1, 2], epsilon=1e-5), ((2, 3, 4), F)),
    "layernorm_axis1_nocenter": _c("LayerNormalization", dict(axis=1, center=False), ((2, 3, 4), F)),
    # embedding.py
    "embedding": _c("Embedding", dict(input_dim=7, output_dim=3), ((2, 4), ("int", 7))),
    "embedding_mask_zero": _c("Embedding", dict(input_dim=5, output_dim=2, mask_zero=True), ((3,), ("int", 5))),
    # activation_layers.py
    "activation_tanh": _c("Activation", dict(activation="tanh"), ((2, 5), F)),
    "activation_softmax": _c("Activation", dict(activation="softmax"), ((2, 5), F)),
    "relu_default": _c("ReLU", dict(), ((2, 5), F)),
    "relu_full": _c("ReLU", dict(max_value=1.0, negative_slope=0.1, threshold=0.3), ((2, 5), F)),
    "relu6": _c("ReLU", dict(max_value=6.0), ((2, 3, 4), F)),
    "relu_slope": _c("ReLU", dict(negative_slope=0.2), ((2, 5), F)),
    "softmax_axis1": _c("Softmax", dict(axis=1), ((2, 3, 4), F)),
    "leaky_relu": _c("LeakyReLU", dict(), ((2, 5), F)),
    "leaky_relu_slope": _c("LeakyReLU", dict(negative_slope=0.05), ((2, 5), F)),
    "elu": _c("ELU", dict(alpha=0.5), ((2, 5), F)),
    # merging.py
    "add": _c("Add", dict(), ((2, 3), F), ((2, 3), F), ((2, 3), F), multi=True),
    "subtract": _c("Subtract", dict(), ((2, 3), F), ((2, 3), F), multi=True),
    "multiply": _c("Multiply", dict(), ((2, 3), F), ((2, 3), F), multi=True),
    "average": _c("Average", dict(), ((2, 3), F), ((2, 3), F), ((2, 3), F), multi=True),
    "maximum": _c("Maximum", dict(), ((2, 3), F), ((2, 3), F), multi=True),
    "minimum": _c("Minimum", dict(), ((2, 3), F), ((2, 3), F), multi=True),
    "concatenate": _c("Concatenate", dict(), ((2, 2, 3), F), ((2, 2, 1), F), multi=True),
    "concatenate_axis1": _c("Concatenate", dict(axis=1), ((2, 3), F), ((2, 2), F), multi=True),
    # preprocessing.py
    "rescaling": _c("Rescaling", dict(scale=1 / 255.0), ((2, 4), F)),
    "rescaling_offset": _c("Rescaling", dict(scale=2.0, offset=-1.0), ((2, 2, 2), F)),
    # rnn.py
    "simple_rnn": _c("SimpleRNN", dict(units=3), SEQ, initial=[2]),
    "simple_rnn_seq_state": _c("SimpleRNN", dict(units=3, return_sequences=True, return_state=True,
                                                 activation="relu"), SEQ),
    "lstm": _c("LSTM", dict(units=3), SEQ, initial=[2]),
    "lstm_seq_state": _c("LSTM", dict(units=2, return_sequences=True, return_state=True), SEQ),
    "lstm_backwards_seq": _c("LSTM", dict(units=3, go_backwards=True, return_sequences=True), SEQ),
    "lstm_initial_state": _c("LSTM", dict(units=3, return_state=True), SEQ,
                             call=dict(initial_state={"arrays": [((2, 3), F), ((2, 3), F)]})),
    "lstm_nobias_no_forget_bias": _c("LSTM", dict(units=2, use_bias=False, unit_forget_bias=False), SEQ),
    "lstm_mask": _c("LSTM", dict(units=2, return_sequences=True), SEQ, call=dict(mask={"array": ((2, 4), "mask")})),
    "gru": _c("GRU", dict(units=3), SEQ, initial=[2]),
    "gru_seq_state": _c("GRU", dict(units=3, return_sequences=True, return_state=True), SEQ),
    "gru_reset_before": _c("GRU", dict(units=3, reset_after=False, return_sequences=True), SEQ, initial=[2]),
    "gru_backwards_initial_state": _c("GRU", dict(units=2, go_backwards=True, return_state=True), SEQ,
                                      call=dict(initial_state={"arrays": [((2, 2), F)]})),
}
