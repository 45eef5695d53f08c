"""tf.nn (sigmoid, tanh, softplus, softsign, zero_fraction and top_k are tf.math's functions)."""
from tfx_lite.ops.math_ops import sigmoid, softplus, softsign, tanh, top_k, zero_fraction  # noqa: F401
from tfx_lite.ops.nn_ops import (  # noqa: F401
    approx_max_k, approx_min_k, atrous_conv2d, atrous_conv2d_transpose, avg_pool, avg_pool1d, avg_pool2d,
    avg_pool3d, batch_norm_with_global_normalization, batch_normalization, bias_add, compute_average_loss,
    conv1d, conv1d_transpose, conv2d, conv2d_transpose, conv3d, conv3d_transpose, conv_transpose, convolution,
    crelu, depth_to_space, depthwise_conv2d, depthwise_conv2d_backprop_filter, depthwise_conv2d_backprop_input,
    dilation2d, dropout, elu, embedding_lookup, erosion2d, gelu, in_top_k, l2_loss, l2_normalize, leaky_relu,
    local_response_normalization, log_poisson_loss, log_softmax, lrn, max_pool, max_pool1d, max_pool2d,
    max_pool3d, max_pool_with_argmax, moments, normalize_moments, pool, relu, relu6, scale_regularization_loss,
    selu, separable_conv2d, sigmoid_cross_entropy_with_logits, silu, softmax, softmax_cross_entropy_with_logits,
    space_to_depth, sparse_softmax_cross_entropy_with_logits, sufficient_statistics, swish,
    weighted_cross_entropy_with_logits, weighted_moments)
