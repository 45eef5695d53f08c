"""tf.keras.losses against real Keras: every loss class with each reduction, with and without
sample weights, probabilities and logits, the function forms, gradients under GradientTape,
lookups and configs; then the same losses inside tf.function. Expected values were printed by
TensorFlow 2.21 / Keras 3.15.1 (record_keras.py)."""
import warnings

import numpy as np
import pytest

import tfx_lite as tf
from tests.tfx_lite.keras import keras_cases as kc
from tests.tfx_lite.keras.keras_cases import assert_matches, check_case
from tfx_lite.keras import activations, losses, metrics, regularizers, utils

# BEGIN CASES
_REGRESSION = [  # (class, function, y_true, y_pred)
    ("MeanSquaredError", "mean_squared_error", "Y_REG", "P_REG"),
    ("MeanAbsoluteError", "mean_absolute_error", "Y_REG", "P_REG"),
    ("MeanAbsolutePercentageError", "mean_absolute_percentage_error", "Y_REG", "P_REG"),
    ("MeanSquaredLogarithmicError", "mean_squared_logarithmic_error", "Y_POS", "P_REG"),
    ("Huber", "huber", "Y_REG", "P_REG"),
    ("LogCosh", "log_cosh", "Y_REG", "P_REG"),
    ("CosineSimilarity", "cosine_similarity", "Y_REG", "P_REG"),
    ("Hinge", "hinge", "YB", "LB"),
    ("SquaredHinge", "squared_hinge", "YB", "LB"),
    ("CategoricalHinge", "categorical_hinge", "YC", "LC"),
    ("KLDivergence", "kl_divergence", "YC_SOFT", "PC"),
    ("Poisson", "poisson", "Y_POS", "P_POS"),
]
_REDUCTIONS = ["'sum_over_batch_size'", "'sum'", "'none'", "None", "'mean'",
               "'mean_with_sample_weight'"]
CASES = []
for _cls, _fn, _y, _p in _REGRESSION:
    _sw = "SW3" if _y in ("Y_REG", "Y_POS") else "SW4"
    CASES += [
        (f"{_cls}_default", f"losses.{_cls}()({_y}, {_p})"),
        (f"{_cls}_weighted", f"losses.{_cls}()({_y}, {_p}, sample_weight={_sw})"),
        (f"{_cls}_fn", f"losses.{_fn}({_y}, {_p})"),
    ]
    # every reduction for MSE; the reduction code is shared, so three for the others
    _reds = _REDUCTIONS if _cls == "MeanSquaredError" else ["'sum'", "'mean_with_sample_weight'"]
    CASES += [(f"{_cls}_{_r.strip(chr(39))}_weighted", f"losses.{_cls}(reduction={_r})({_y}, {_p}, {_sw})")
              for _r in _reds]
    CASES += [(f"{_cls}_{_r.strip(chr(39))}", f"losses.{_cls}(reduction={_r})({_y}, {_p})")
              for _r in (("'sum'", "'none'", "'mean_with_sample_weight'") if _cls == "MeanSquaredError"
                         else ("'none'",))]
CASES += [
    # regression details: rank 3, weights of other ranks, a scalar weight, zero weights
    ("mse_rank3", "losses.MeanSquaredError()(Y_REG3, P_REG3)"),
    ("mse_rank3_none", "losses.MeanSquaredError(reduction='none')(Y_REG3, P_REG3)"),
    ("mse_rank3_sw23", "losses.MeanSquaredError()(Y_REG3, P_REG3, SW23)"),
    ("mse_rank3_sw21", "losses.MeanSquaredError(reduction='sum')(Y_REG3, P_REG3, SW21)"),
    ("mse_rank3_sw21_mean_sw", "losses.MeanSquaredError(reduction='mean_with_sample_weight')(Y_REG3, P_REG3, SW21)"),
    ("mse_scalar_weight", "losses.MeanSquaredError()(Y_REG, P_REG, 2.5)"),
    ("mse_zero_weights", "losses.MeanSquaredError(reduction='mean_with_sample_weight')(Y_REG, P_REG, SW_ZERO)"),
    ("mse_1d", "losses.MeanSquaredError()(Y_REG[0], P_REG[0])"),
    ("mse_1d_none", "losses.MeanSquaredError(reduction='none')(Y_REG[0], P_REG[0])"),
    ("mse_column_vs_flat", "losses.MeanSquaredError(reduction='none')(Y_REG[:, :1], P_REG[:, 0])"),
    ("mse_int_labels", "losses.MeanSquaredError()(YS, LC[:, 0])"),
    ("mse_tensors", "losses.MeanSquaredError()(const(Y_REG), const(P_REG), const(SW3))"),
    ("mse_float64_fn", "losses.mean_squared_error(const(Y_REG, 'float64'), const(P_REG, 'float64'))"),
    ("mape_zero_labels", "losses.MeanAbsolutePercentageError()(Y_ZEROS, P_ZEROS)"),
    ("huber_delta", "losses.Huber(delta=0.3)(Y_REG, P_REG)"),
    ("huber_delta_fn", "losses.huber(Y_REG, P_REG, delta=2.0)"),
    ("cosine_axis0", "losses.CosineSimilarity(axis=0, reduction='none')(Y_REG, P_REG)"),
    ("hinge_pm1_labels", "losses.Hinge()(YPM, LB)"),
    ("squared_hinge_pm1_labels", "losses.squared_hinge(YPM, LB)"),
    # binary cross-entropy
    ("bce_probs", "losses.BinaryCrossentropy()(YB, PB)"),
    ("bce_probs_none", "losses.BinaryCrossentropy(reduction='none')(YB, PB)"),
    ("bce_probs_sum_weighted", "losses.BinaryCrossentropy(reduction='sum')(YB, PB, SW4)"),
    ("bce_probs_weighted", "losses.BinaryCrossentropy()(YB, PB, sample_weight=SW4)"),
    ("bce_probs_mean_sw", "losses.BinaryCrossentropy(reduction='mean_with_sample_weight')(YB, PB, SW4)"),
    ("bce_logits", "losses.BinaryCrossentropy(from_logits=True)(YB, LB)"),
    ("bce_logits_none", "losses.BinaryCrossentropy(from_logits=True, reduction=None)(YB, LB)"),
    ("bce_logits_weighted", "losses.BinaryCrossentropy(from_logits=True)(YB, LB, SW4)"),
    ("bce_smoothing", "losses.BinaryCrossentropy(label_smoothing=0.2)(YB, PB)"),
    ("bce_logits_smoothing", "losses.BinaryCrossentropy(from_logits=True, label_smoothing=0.2, reduction='none')(YB, LB)"),
    ("bce_axis0", "losses.BinaryCrossentropy(axis=0, reduction='none')(YB, PB)"),
    ("bce_column", "losses.BinaryCrossentropy(reduction='none')(YB1, PB1)"),
    ("bce_flat_labels_column_preds", "losses.BinaryCrossentropy(reduction='none')(YB_FLAT, PB1)"),
    ("bce_flat", "losses.BinaryCrossentropy()(YB_FLAT, PB[:, 0])"),
    ("bce_sigmoid_output", "losses.BinaryCrossentropy()(YB, activations.sigmoid(const(LB)))"),
    ("bce_sigmoid_output_none", "losses.BinaryCrossentropy(reduction='none')(YB, activations.sigmoid(const(LB)))"),
    ("bce_fn_probs", "losses.binary_crossentropy(YB, PB)"),
    ("bce_fn_logits", "losses.binary_crossentropy(YB, LB, from_logits=True)"),
    ("bce_fn_smoothing", "losses.binary_crossentropy(YB, PB, label_smoothing=0.1)"),
    ("bce_fn_sigmoid_output", "losses.binary_crossentropy(YB, activations.sigmoid(const(LB)))"),
    ("bce_shape_error", "losses.binary_crossentropy(YB, PB[:, :2])"),
    # focal
    ("focal_default", "losses.BinaryFocalCrossentropy()(YB, PB)"),
    ("focal_balanced", "losses.BinaryFocalCrossentropy(apply_class_balancing=True, alpha=0.3, gamma=1.5)(YB, PB, SW4)"),
    ("focal_logits", "losses.BinaryFocalCrossentropy(from_logits=True, reduction='none')(YB, LB)"),
    ("focal_fn", "losses.binary_focal_crossentropy(YB, PB, label_smoothing=0.1)"),
    # categorical cross-entropy
    ("cce_probs", "losses.CategoricalCrossentropy()(YC, PC)"),
    ("cce_probs_none", "losses.CategoricalCrossentropy(reduction='none')(YC, PC)"),
    ("cce_probs_sum_weighted", "losses.CategoricalCrossentropy(reduction='sum')(YC, PC, SW4)"),
    ("cce_probs_weighted", "losses.CategoricalCrossentropy()(YC, PC, SW4)"),
    ("cce_probs_mean_sw", "losses.CategoricalCrossentropy(reduction='mean_with_sample_weight')(YC, PC, SW4)"),
    ("cce_soft_labels", "losses.CategoricalCrossentropy(reduction='none')(YC_SOFT, PC)"),
    ("cce_logits", "losses.CategoricalCrossentropy(from_logits=True)(YC, LC)"),
    ("cce_logits_none", "losses.CategoricalCrossentropy(from_logits=True, reduction='none')(YC, LC)"),
    ("cce_logits_weighted", "losses.CategoricalCrossentropy(from_logits=True)(YC, LC, SW4)"),
    ("cce_smoothing", "losses.CategoricalCrossentropy(label_smoothing=0.1, reduction='none')(YC, PC)"),
    ("cce_logits_smoothing", "losses.CategoricalCrossentropy(from_logits=True, label_smoothing=0.3)(YC, LC)"),
    ("cce_axis0", "losses.CategoricalCrossentropy(axis=0, reduction='none')(YC, PC)"),
    ("cce_logits_axis0", "losses.CategoricalCrossentropy(from_logits=True, axis=0, reduction='none')(YC, LC)"),
    ("cce_softmax_output", "losses.CategoricalCrossentropy(reduction='none')(YC, activations.softmax(const(LC * 10)))"),
    ("cce_probs_of_softmax_values", "losses.CategoricalCrossentropy(reduction='none')(YC, np.asarray(activations.softmax(const(LC * 10))))"),
    ("cce_fn_probs", "losses.categorical_crossentropy(YC, PC)"),
    ("cce_fn_logits", "losses.categorical_crossentropy(YC, LC, from_logits=True)"),
    ("cce_fn_smoothing", "losses.categorical_crossentropy(YC, LC, from_logits=True, label_smoothing=0.2)"),
    ("cce_fn_bool_axis_error", "losses.categorical_crossentropy(YC, PC, axis=True)"),
    # sparse categorical cross-entropy
    ("scce_probs", "losses.SparseCategoricalCrossentropy()(YS, PC)"),
    ("scce_probs_none", "losses.SparseCategoricalCrossentropy(reduction='none')(YS, PC)"),
    ("scce_probs_sum_weighted", "losses.SparseCategoricalCrossentropy(reduction='sum')(YS, PC, SW4)"),
    ("scce_probs_weighted", "losses.SparseCategoricalCrossentropy()(YS, PC, SW4)"),
    ("scce_probs_mean_sw", "losses.SparseCategoricalCrossentropy(reduction='mean_with_sample_weight')(YS, PC, SW4)"),
    ("scce_logits", "losses.SparseCategoricalCrossentropy(from_logits=True)(YS, LC)"),
    ("scce_logits_none", "losses.SparseCategoricalCrossentropy(from_logits=True, reduction='none')(YS, LC)"),
    ("scce_logits_weighted", "losses.SparseCategoricalCrossentropy(from_logits=True)(YS, LC, SW4)"),
    ("scce_column_labels", "losses.SparseCategoricalCrossentropy(from_logits=True, reduction='none')(YS1, LC)"),
    ("scce_float_labels", "losses.SparseCategoricalCrossentropy(from_logits=True)(YS_F, LC)"),
    ("scce_rank3", "losses.SparseCategoricalCrossentropy(from_logits=True)(YS3, LC3)"),
    ("scce_rank3_none", "losses.SparseCategoricalCrossentropy(from_logits=True, reduction='none')(YS3, LC3)"),
    ("scce_ignore", "losses.SparseCategoricalCrossentropy(from_logits=True, ignore_class=0)(YS, LC)"),
    ("scce_ignore_none", "losses.SparseCategoricalCrossentropy(from_logits=True, ignore_class=4, reduction='none')(YS, LC)"),
    ("scce_ignore_sum", "losses.SparseCategoricalCrossentropy(ignore_class=4, reduction='sum')(YS, PC)"),
    ("scce_ignore_weighted", "losses.SparseCategoricalCrossentropy(from_logits=True, ignore_class=0)(YS, LC, SW4)"),
    ("scce_ignore_mean_sw", "losses.SparseCategoricalCrossentropy(from_logits=True, ignore_class=0, reduction='mean_with_sample_weight')(YS, LC, SW4)"),
    ("scce_ignore_rank3", "losses.SparseCategoricalCrossentropy(from_logits=True, ignore_class=2)(YS3, LC3)"),
    ("scce_ignore_absent", "losses.SparseCategoricalCrossentropy(from_logits=True, ignore_class=-1)(YS, LC)"),
    ("scce_softmax_output", "losses.SparseCategoricalCrossentropy(reduction='none')(YS, activations.softmax(const(LC * 10)))"),
    ("scce_fn_probs", "losses.sparse_categorical_crossentropy(YS, PC)"),
    ("scce_fn_logits", "losses.sparse_categorical_crossentropy(const(YS, 'int32'), LC, from_logits=True)"),
    ("scce_fn_ignore", "losses.sparse_categorical_crossentropy(const(YS, 'int32'), LC, from_logits=True, ignore_class=1)"),
    # gradients under GradientTape
    ("grad_mse", "grad(losses.MeanSquaredError(), Y_REG, P_REG)"),
    ("grad_mse_weighted", "grad(losses.MeanSquaredError(), Y_REG, P_REG, SW3)"),
    ("grad_huber", "grad(losses.Huber(delta=0.5), Y_REG, P_REG)"),
    ("grad_mae", "grad(losses.MeanAbsoluteError(reduction='sum'), Y_REG, P_REG)"),
    ("grad_bce_probs", "grad(losses.BinaryCrossentropy(), YB, PB)"),
    ("grad_bce_logits", "grad(losses.BinaryCrossentropy(from_logits=True), YB, LB)"),
    ("grad_cce_probs", "grad(losses.CategoricalCrossentropy(), YC, PC)"),
    ("grad_cce_logits", "grad(losses.CategoricalCrossentropy(from_logits=True, label_smoothing=0.1), YC, LC)"),
    ("grad_scce_logits", "grad(losses.SparseCategoricalCrossentropy(from_logits=True), YS, LC, SW4)"),
    ("grad_scce_ignore", "grad(losses.SparseCategoricalCrossentropy(from_logits=True, ignore_class=0), YS, LC)"),
    ("grad_bce_through_sigmoid", "grad_logits(losses.BinaryCrossentropy(), YB, LB, activations.sigmoid)"),
    ("grad_cce_through_softmax", "grad_logits(losses.CategoricalCrossentropy(), YC, LC * 10, activations.softmax)"),
    # lookup, configs, serialization
    ("get_mse", "losses.get('mse').__name__"),
    ("get_MSE", "losses.get('MSE').__name__"),
    ("get_mean_squared_error", "losses.get('mean_squared_error').__name__"),
    ("get_scce", "losses.get('sparse_categorical_crossentropy').__name__"),
    ("get_bce", "losses.get('bce').__name__"),
    ("get_class_name", "losses.get('MeanSquaredError').get_config()"),
    ("get_class", "losses.get(losses.BinaryCrossentropy).get_config()"),
    ("get_config_dict", "losses.get({'class_name': 'CategoricalCrossentropy', 'config': {'from_logits': True}}).get_config()"),
    ("get_none", "losses.get(None)"),
    ("get_unknown", "losses.get('nope')"),
    ("config_bce", "losses.BinaryCrossentropy(from_logits=True, label_smoothing=0.1).get_config()"),
    ("config_cce", "losses.CategoricalCrossentropy(axis=0, name='cce').get_config()"),
    ("config_scce", "losses.SparseCategoricalCrossentropy(ignore_class=3).get_config()"),
    ("config_mse", "losses.MeanSquaredError(reduction='sum', name='m').get_config()"),
    ("config_focal", "losses.BinaryFocalCrossentropy(alpha=0.5).get_config()"),
    ("from_config", "losses.CategoricalCrossentropy.from_config(losses.CategoricalCrossentropy(label_smoothing=0.2, reduction=None).get_config()).get_config()"),
    ("serialize_instance", "losses.serialize(losses.MeanSquaredError())"),
    ("serialize_function", "losses.serialize(losses.mean_squared_error)"),
    ("deserialize_roundtrip", "losses.deserialize(losses.serialize(losses.BinaryCrossentropy(label_smoothing=0.3))).get_config()"),
    ("bad_reduction", "losses.MeanSquaredError(reduction='avg')"),
    ("name_attr", "losses.SparseCategoricalCrossentropy().name"),
    ("dtype_attr", "losses.MeanSquaredError().dtype"),
    ("reduction_attr", "losses.Huber().reduction"),
]
# END CASES

# BEGIN RECORDED
# Printed by TensorFlow 2.21.0 / Keras 3.15.1 (record_keras.py); do not edit by hand.
EXPECTED = {'MeanSquaredError_default': ('array', 'float32', [], [2.2963543]),
 'MeanSquaredError_weighted': ('array', 'float32', [], [3.757329]),
 'MeanSquaredError_fn': ('array', 'float32', [3], [0.5075641, 1.7447922, 4.6367064]),
 'MeanSquaredError_sum_over_batch_size_weighted': ('array', 'float32', [], [3.757329]),
 'MeanSquaredError_sum_weighted': ('array', 'float32', [], [11.271987]),
 'MeanSquaredError_none_weighted': ('array', 'float32', [3], [0.25378206, 1.7447922, 9.273413]),
 'MeanSquaredError_None_weighted': ('array', 'float32', [3], [0.25378206, 1.7447922, 9.273413]),
 'MeanSquaredError_mean_weighted': ('array', 'float32', [], [3.757329]),
 'MeanSquaredError_mean_with_sample_weight_weighted': ('array', 'float32', [], [3.2205677]),
 'MeanSquaredError_sum': ('array', 'float32', [], [6.889063]),
 'MeanSquaredError_none': ('array', 'float32', [3], [0.5075641, 1.7447922, 4.6367064]),
 'MeanSquaredError_mean_with_sample_weight': ('array', 'float32', [], [2.2963543]),
 'MeanAbsoluteError_default': ('array', 'float32', [], [1.1674825]),
 'MeanAbsoluteError_weighted': ('array', 'float32', [], [1.6653681]),
 'MeanAbsoluteError_fn': ('array', 'float32', [3], [0.6225938, 1.0749003, 1.8049536]),
 'MeanAbsoluteError_sum_weighted': ('array', 'float32', [], [4.9961042]),
 'MeanAbsoluteError_mean_with_sample_weight_weighted': ('array', 'float32', [], [1.4274584]),
 'MeanAbsoluteError_none': ('array', 'float32', [3], [0.6225938, 1.0749003, 1.8049536]),
 'MeanAbsolutePercentageError_default': ('array', 'float32', [], [514.46796]),
 'MeanAbsolutePercentageError_weighted': ('array', 'float32', [], [916.57074]),
 'MeanAbsolutePercentageError_fn': ('array', 'float32', [3], [50.17089, 261.83905, 1231.3938]),
 'MeanAbsolutePercentageError_sum_weighted': ('array', 'float32', [], [2749.7122]),
 'MeanAbsolutePercentageError_mean_with_sample_weight_weighted': ('array', 'float32', [],
                                                                  [785.632]),
 'MeanAbsolutePercentageError_none': ('array', 'float32', [3], [50.17089, 261.83905, 1231.3938]),
 'MeanSquaredLogarithmicError_default': ('array', 'float32', [], [0.3712488]),
 'MeanSquaredLogarithmicError_weighted': ('array', 'float32', [], [0.33565435]),
 'MeanSquaredLogarithmicError_fn': ('array', 'float32', [3], [0.43730977, 0.56456506, 0.11187157]),
 'MeanSquaredLogarithmicError_sum_weighted': ('array', 'float32', [], [1.006963]),
 'MeanSquaredLogarithmicError_mean_with_sample_weight_weighted': ('array', 'float32', [],
                                                                  [0.28770372]),
 'MeanSquaredLogarithmicError_none': ('array', 'float32', [3],
                                      [0.43730977, 0.56456506, 0.11187157]),
 'Huber_default': ('array', 'float32', [], [0.7420826]),
 'Huber_weighted': ('array', 'float32', [], [1.1352035]),
 'Huber_fn': ('array', 'float32', [3], [0.25127727, 0.669969, 1.3050015]),
 'Huber_sum_weighted': ('array', 'float32', [], [3.4056106]),
 'Huber_mean_with_sample_weight_weighted': ('array', 'float32', [], [0.9730316]),
 'Huber_none': ('array', 'float32', [3], [0.25127727, 0.669969, 1.3050015]),
 'LogCosh_default': ('array', 'float32', [], [0.6681595]),
 'LogCosh_weighted': ('array', 'float32', [], [1.0272641]),
 'LogCosh_fn': ('array', 'float32', [3], [0.22234857, 0.5936416, 1.1884882]),
 'LogCosh_sum_weighted': ('array', 'float32', [], [3.0817924]),
 'LogCosh_mean_with_sample_weight_weighted': ('array', 'float32', [], [0.8805121]),
 'LogCosh_none': ('array', 'float32', [3], [0.22234857, 0.5936416, 1.1884882]),
 'CosineSimilarity_default': ('array', 'float32', [], [-0.7304017]),
 'CosineSimilarity_weighted': ('array', 'float32', [], [-0.6487649]),
 'CosineSimilarity_fn': ('array', 'float32', [3], [-0.98889375, -0.9527747, -0.2495366]),
 'CosineSimilarity_sum_weighted': ('array', 'float32', [], [-1.9462948]),
 'CosineSimilarity_mean_with_sample_weight_weighted': ('array', 'float32', [], [-0.5560842]),
 'CosineSimilarity_none': ('array', 'float32', [3], [-0.98889375, -0.9527747, -0.2495366]),
 'Hinge_default': ('array', 'float32', [], [2.2708333]),
 'Hinge_weighted': ('array', 'float32', [], [1.6458333]),
 'Hinge_fn': ('array', 'float32', [4], [0.16666667, 7.1666665, 0.33333334, 1.4166666]),
 'Hinge_sum_weighted': ('array', 'float32', [], [6.583333]),
 'Hinge_mean_with_sample_weight_weighted': ('array', 'float32', [], [1.8809522]),
 'Hinge_none': ('array', 'float32', [4], [0.16666667, 7.1666665, 0.33333334, 1.4166666]),
 'SquaredHinge_default': ('array', 'float32', [], [37.942703]),
 'SquaredHinge_weighted': ('array', 'float32', [], [20.541666]),
 'SquaredHinge_fn': ('array', 'float32', [4], [0.083333336, 147.08333, 0.33333334, 4.2708335]),
 'SquaredHinge_sum_weighted': ('array', 'float32', [], [82.166664]),
 'SquaredHinge_mean_with_sample_weight_weighted': ('array', 'float32', [], [23.47619]),
 'SquaredHinge_none': ('array', 'float32', [4], [0.083333336, 147.08333, 0.33333334, 4.2708335]),
 'CategoricalHinge_default': ('array', 'float32', [], [2.2826471]),
 'CategoricalHinge_weighted': ('array', 'float32', [], [2.9701118]),
 'CategoricalHinge_fn': ('array', 'float32', [4], [1.8848546, 0.0, 2.247937, 4.9977965]),
 'CategoricalHinge_sum_weighted': ('array', 'float32', [], [11.880447]),
 'CategoricalHinge_mean_with_sample_weight_weighted': ('array', 'float32', [], [3.3944135]),
 'CategoricalHinge_none': ('array', 'float32', [4], [1.8848546, 0.0, 2.247937, 4.9977965]),
 'KLDivergence_default': ('array', 'float32', [], [0.90974015]),
 'KLDivergence_weighted': ('array', 'float32', [], [1.5717384]),
 'KLDivergence_fn': ('array', 'float32', [4], [0.040078245, 0.5108213, 0.09232882, 2.9957323]),
 'KLDivergence_sum_weighted': ('array', 'float32', [], [6.2869534]),
 'KLDivergence_mean_with_sample_weight_weighted': ('array', 'float32', [], [1.7962724]),
 'KLDivergence_none': ('array', 'float32', [4], [0.040078245, 0.5108213, 0.09232882, 2.9957323]),
 'Poisson_default': ('array', 'float32', [], [1.3965569]),
 'Poisson_weighted': ('array', 'float32', [], [1.4051939]),
 'Poisson_fn': ('array', 'float32', [3], [2.0513043, 1.086802, 1.051564]),
 'Poisson_sum_weighted': ('array', 'float32', [], [4.215582]),
 'Poisson_mean_with_sample_weight_weighted': ('array', 'float32', [], [1.2044519]),
 'Poisson_none': ('array', 'float32', [3], [2.0513043, 1.086802, 1.051564]),
 'mse_rank3': ('array', 'float32', [], [2.2219026]),
 'mse_rank3_none': ('array', 'float32', [2, 3],
                    [4.459967, 2.8086858, 1.6188736, 2.0672843, 1.1899354, 1.1866689]),
 'mse_rank3_sw23': ('array', 'float32', [], [2.147722]),
 'mse_rank3_sw21': ('array', 'float32', [], [18.886024]),
 'mse_rank3_sw21_mean_sw': ('array', 'float32', [], [8.393788]),
 'mse_scalar_weight': ('array', 'float32', [], [5.7408853]),
 'mse_zero_weights': ('array', 'float32', [], [0.0]),
 'mse_1d': ('array', 'float32', [], [0.5075641]),
 'mse_1d_none': ('array', 'float32', [], [0.5075641]),
 'mse_column_vs_flat': ('array', 'float32', [3], [1.3031512, 5.0226116, 14.664953]),
 'mse_int_labels': ('array', 'float32', [], [7.7004156]),
 'mse_tensors': ('array', 'float32', [], [3.757329]),
 'mse_float64_fn': ('array', 'float64', [3],
                    [0.5075641094897216, 1.7447921874676464, 4.6367059977471135]),
 'mape_zero_labels': ('array', 'float32', [], [125000024.0]),
 'huber_delta': ('array', 'float32', [], [0.30581993]),
 'huber_delta_fn': ('array', 'float32', [3], [0.25378206, 0.8651289, 1.8999763]),
 'cosine_axis0': ('array', 'float32', [4], [-0.8041617, -0.9176729, -0.88542426, -0.82339746]),
 'hinge_pm1_labels': ('array', 'float32', [], [2.2708333]),
 'squared_hinge_pm1_labels': ('array', 'float32', [4],
                              [0.083333336, 147.08333, 0.33333334, 4.2708335]),
 'bce_probs': ('array', 'float32', [], [2.9346623]),
 'bce_probs_none': ('array', 'float32', [4], [5.4429393, 5.507401, 0.53982943, 0.24848032]),
 'bce_probs_sum_weighted': ('array', 'float32', [], [8.693601]),
 'bce_probs_weighted': ('array', 'float32', [], [2.1734002]),
 'bce_probs_mean_sw': ('array', 'float32', [], [2.483886]),
 'bce_logits': ('array', 'float32', [], [2.1253726]),
 'bce_logits_none': ('array', 'float32', [4], [0.21653078, 6.89183, 0.23709904, 1.1560303]),
 'bce_logits_weighted': ('array', 'float32', [], [1.4936266]),
 'bce_smoothing': ('array', 'float32', [], [2.8163714]),
 'bce_logits_smoothing': ('array', 'float32', [4], [0.39986408, 6.29183, 1.3704324, 1.1143637]),
 'bce_axis0': ('array', 'float32', [3], [0.2444086, 0.4884226, 8.071156]),
 'bce_column': ('array', 'float32', [4], [0.105360545, 0.22314353, 0.597837, 0.051293306]),
 'bce_flat_labels_column_preds': ('array', 'float32', [4],
                                  [0.105360545, 0.22314353, 0.597837, 0.051293306]),
 'bce_flat': ('array', 'float32', [], [0.2444086]),
 'bce_sigmoid_output': ('array', 'float32', [], [2.1253726]),
 'bce_sigmoid_output_none': ('array', 'float32', [4], [0.21653078, 6.89183, 0.23709904, 1.1560303]),
 'bce_fn_probs': ('array', 'float32', [4], [5.4429393, 5.507401, 0.53982943, 0.24848032]),
 'bce_fn_logits': ('array', 'float32', [4], [0.21653078, 6.89183, 0.23709904, 1.1560303]),
 'bce_fn_smoothing': ('array', 'float32', [4], [5.247545, 5.278921, 0.56293434, 0.41266716]),
 'bce_fn_sigmoid_output': ('array', 'float32', [4], [0.21653078, 6.89183, 0.23709904, 1.1560303]),
 'bce_shape_error': ('error', 'ValueError'),
 'focal_default': ('array', 'float32', [], [2.7207136]),
 'focal_balanced': ('array', 'float32', [], [0.8988329]),
 'focal_logits': ('array', 'float32', [4], [0.02316211, 6.6914253, 0.05776422, 0.7785099]),
 'focal_fn': ('array', 'float32', [4], [4.6092296, 4.5749784, 0.12517066, 0.058658566]),
 'cce_probs': ('array', 'float32', [], [0.77225506]),
 'cce_probs_none': ('array', 'float32', [4], [0.6931472, 1.4663371, 0.28768215, 0.64185387]),
 'cce_probs_sum_weighted': ('array', 'float32', [], [2.7100234]),
 'cce_probs_weighted': ('array', 'float32', [], [0.67750585]),
 'cce_probs_mean_sw': ('array', 'float32', [], [0.7742924]),
 'cce_soft_labels': ('array', 'float32', [4], [1.2676076, 1.4663371, 0.8369883, 4.5641356]),
 'cce_logits': ('array', 'float32', [], [2.0948997]),
 'cce_logits_none': ('array', 'float32', [4], [1.7779083, 0.24984208, 2.0273957, 4.3244524]),
 'cce_logits_weighted': ('array', 'float32', [], [2.6379335]),
 'cce_smoothing': ('array', 'float32', [4], [0.8080392, 1.490665, 0.7361239, 1.0340819]),
 'cce_logits_smoothing': ('array', 'float32', [], [2.278964]),
 'cce_axis0': ('array', 'float32', [5], [0.6931472, 0.7884574, 0.5877866, -0.0, 0.44183278]),
 'cce_logits_axis0': ('array', 'float32', [5], [0.880518, 0.31523216, 4.205974, 0.0, 3.1674078]),
 'cce_softmax_output': ('array', 'float32', [4], [9.134081, 0.0, 12.481497, 39.977997]),
 'cce_probs_of_softmax_values': ('array', 'float32', [4],
                                 [9.134082, 1.192093e-07, 12.481497, 16.118095]),
 'cce_fn_probs': ('array', 'float32', [4], [0.6931472, 1.4663371, 0.28768215, 0.64185387]),
 'cce_fn_logits': ('array', 'float32', [4], [1.7779083, 0.24984208, 2.0273957, 4.3244524]),
 'cce_fn_smoothing': ('array', 'float32', [4], [1.9448473, 0.7549273, 2.0577672, 4.112895]),
 'cce_fn_bool_axis_error': ('error', 'ValueError'),
 'scce_probs': ('array', 'float32', [], [0.7722552]),
 'scce_probs_none': ('array', 'float32', [4], [0.6931472, 1.4663371, 0.2876822, 0.641854]),
 'scce_probs_sum_weighted': ('array', 'float32', [], [2.7100239]),
 'scce_probs_weighted': ('array', 'float32', [], [0.67750597]),
 'scce_probs_mean_sw': ('array', 'float32', [], [0.7742925]),
 'scce_logits': ('array', 'float32', [], [2.0948997]),
 'scce_logits_none': ('array', 'float32', [4], [1.7779083, 0.24984208, 2.0273957, 4.3244524]),
 'scce_logits_weighted': ('array', 'float32', [], [2.6379335]),
 'scce_column_labels': ('array', 'float32', [4], [1.7779083, 0.24984208, 2.0273957, 4.3244524]),
 'scce_float_labels': ('array', 'float32', [], [2.0948997]),
 'scce_rank3': ('array', 'float32', [], [1.5401028]),
 'scce_rank3_none': ('array', 'float32', [2, 3],
                     [1.4088266, 1.7798302, 1.3976182, 1.9869599, 2.129376, 0.5380057]),
 'scce_ignore': ('array', 'float32', [], [2.709919]),
 'scce_ignore_none': ('array', 'float32', [4], [1.7779083, 0.24984208, 0.0, 4.3244524]),
 'scce_ignore_sum': ('array', 'float32', [], [2.8013384]),
 'scce_ignore_weighted': ('array', 'float32', [], [3.4756045]),
 'scce_ignore_mean_sw': ('array', 'float32', [], [3.4756043]),
 'scce_ignore_rank3': ('array', 'float32', [], [1.2810702]),
 'scce_ignore_absent': ('array', 'float32', [], [2.0948997]),
 'scce_softmax_output': ('array', 'float32', [4], [9.134081, 0.0, 12.481497, 39.977997]),
 'scce_fn_probs': ('array', 'float32', [4], [0.6931472, 1.4663371, 0.2876822, 0.641854]),
 'scce_fn_logits': ('array', 'float32', [4], [1.7779083, 0.24984208, 2.0273957, 4.3244524]),
 'scce_fn_ignore': ('array', 'float32', [4], [0.0, 0.24984208, 2.0273957, 4.3244524]),
 'grad_mse': [('array', 'float32', [], [2.2963543]),
              ('array', 'float32', [3, 4],
               [0.19025943, 0.030418754, 0.1109658, 0.08341857, 0.37351975, -0.05128956, 0.07826693,
                -0.21352395, -0.6382475, 0.16340464, 0.21610907, -0.18554126])],
 'grad_mse_weighted': [('array', 'float32', [], [3.757329]),
                       ('array', 'float32', [3, 4],
                        [0.09512971, 0.015209377, 0.0554829, 0.041709285, 0.37351975, -0.05128956,
                         0.07826693, -0.21352395, -1.276495, 0.3268093, 0.43221813, -0.3710825])],
 'grad_huber': [('array', 'float32', [], [0.4645199]),
                ('array', 'float32', [3, 4],
                 [0.041666668, 0.015209377, 0.041666668, 0.041666668, 0.041666668, -0.02564478,
                  0.039133467, -0.041666668, -0.041666668, 0.041666668, 0.041666668,
                  -0.041666668])],
 'grad_mae': [('array', 'float32', [], [3.5024476]),
              ('array', 'float32', [3, 4],
               [0.25, 0.25, 0.25, 0.25, 0.25, -0.25, 0.25, -0.25, -0.25, 0.25, 0.25, -0.25])],
 'grad_bce_probs': [('array', 'float32', [], [2.9346623]),
                    ('array', 'float32', [4, 3],
                     [0.0925926, -0.0925926, 0.0, -0.10416667, 0.11904763, 0.0, -0.15151516,
                      -0.1851852, 0.10416667, 0.08771931, 0.16666667, -0.08341675])],
 'grad_bce_logits': [('array', 'float32', [], [2.1253726]),
                     ('array', 'float32', [4, 3],
                      [0.009933576, -0.0039521568, -0.031461723, -0.015202128, 0.031461723,
                       0.083333336, -0.041666664, -0.0014988509, 7.798019e-15, 0.022411786,
                       0.07701182, -0.036485292])],
 'grad_cce_probs': [('array', 'float32', [], [0.77225506]),
                    ('array', 'float32', [4, 5],
                     [0.24999999, -0.24999999, 0.24999999, 0.24999999, 0.24999999, -0.64102566,
                      0.19230768, 0.19230768, 0.19230768, 0.19230768, 0.20833334, 0.20833334,
                      0.20833334, 0.20833334, -0.06944445, 0.2631579, 0.2631579, -0.2368421,
                      0.2631579, 0.2631579])],
 'grad_cce_logits': [('array', 'float32', [], [2.1562543]),
                     ('array', 'float32', [4, 5],
                      [0.0973509, -0.18775217, 0.086619206, 0.008391394, -0.004609344, -0.035269037,
                       -0.0025020207, 0.016250953, 0.02338875, -0.001868635, 0.05691407, 0.10966353,
                       0.03349159, -0.002988688, -0.1970805, 0.0583737, -0.0038869078, -0.22668979,
                       -0.003129941, 0.17533295])],
 'grad_scce_logits': [('array', 'float32', [], [2.6379335]),
                      ('array', 'float32', [4, 5],
                       [0.102350906, -0.20775218, 0.09161921, 0.013391394, 0.0003906558,
                        -0.027634524, 0.0012489896, 0.010625476, 0.014194375, 0.0015656825, 0.0,
                        0.0, 0.0, 0.0, -0.0, 0.1267474, 0.002226184, -0.4933796, 0.0037401181,
                        0.3606659])],
 'grad_scce_ignore': [('array', 'float32', [], [2.709919]),
                      ('array', 'float32', [4, 5],
                       [0.13646787, -0.27700293, 0.122158945, 0.017855193, 0.0005208744, 0.0, 0.0,
                        0.0, 0.0, 0.0, 0.08255209, 0.15288472, 0.051322117, 0.0026817494,
                        -0.2894407, 0.08449827, 0.0014841226, -0.32891974, 0.0024934122,
                        0.24044393])],
 'grad_bce_through_sigmoid': [('array', 'float32', [], [2.1253726]),
                              ('array', 'float32', [4, 3],
                               [0.009933576, -0.0039521568, -0.031461723, -0.015202128, 0.031461723,
                                0.083333336, -0.041666664, -0.0014988509, 7.798019e-15, 0.022411786,
                                0.07701182, -0.036485292])],
 'grad_cce_through_softmax': [('array', 'float32', [], [15.398394]),
                              ('array', 'float32', [4, 5],
                               [0.1879028, -0.24997301, 0.06207022, 2.7623298e-10, 1.2329916e-25,
                                0.0, 3.0163403e-20, 5.989281e-11, 1.0840603e-09, 2.890195e-19,
                                0.00052560156, 0.24946892, 4.5333763e-06, 6.879513e-19, -0.24999905,
                                7.182373e-06, 2.0067197e-23, -0.25, 3.595262e-21, 0.24999282])],
 'get_mse': 'mean_squared_error',
 'get_MSE': 'mean_squared_error',
 'get_mean_squared_error': 'mean_squared_error',
 'get_scce': 'sparse_categorical_crossentropy',
 'get_bce': 'binary_crossentropy',
 'get_class_name': {'name': 'mean_squared_error', 'reduction': 'sum_over_batch_size'},
 'get_class': {'name': 'binary_crossentropy',
               'reduction': 'sum_over_batch_size',
               'from_logits': False,
               'label_smoothing': ('float', 0.0),
               'axis': -1},
 'get_config_dict': {'name': 'categorical_crossentropy',
                     'reduction': 'sum_over_batch_size',
                     'from_logits': True,
                     'label_smoothing': ('float', 0.0),
                     'axis': -1},
 'get_none': None,
 'get_unknown': ('error', 'ValueError'),
 'config_bce': {'name': 'binary_crossentropy',
                'reduction': 'sum_over_batch_size',
                'from_logits': True,
                'label_smoothing': ('float', 0.1),
                'axis': -1},
 'config_cce': {'name': 'cce',
                'reduction': 'sum_over_batch_size',
                'from_logits': False,
                'label_smoothing': ('float', 0.0),
                'axis': 0},
 'config_scce': {'name': 'sparse_categorical_crossentropy',
                 'reduction': 'sum_over_batch_size',
                 'from_logits': False,
                 'ignore_class': 3},
 'config_mse': {'name': 'm', 'reduction': 'sum'},
 'config_focal': {'name': 'binary_focal_crossentropy',
                  'reduction': 'sum_over_batch_size',
                  'from_logits': False,
                  'label_smoothing': ('float', 0.0),
                  'axis': -1,
                  'apply_class_balancing': False,
                  'alpha': ('float', 0.5),
                  'gamma': ('float', 2.0)},
 'from_config': {'name': 'categorical_crossentropy',
                 'reduction': None,
                 'from_logits': False,
                 'label_smoothing': ('float', 0.2),
                 'axis': -1},
 'serialize_instance': {'module': 'keras.losses',
                        'class_name': 'MeanSquaredError',
                        'config': {'name': 'mean_squared_error',
                                   'reduction': 'sum_over_batch_size'},
                        'registered_name': None},
 'serialize_function': {'module': 'builtins',
                        'class_name': 'function',
                        'config': 'mean_squared_error',
                        'registered_name': 'function'},
 'deserialize_roundtrip': {'name': 'binary_crossentropy',
                           'reduction': 'sum_over_batch_size',
                           'from_logits': False,
                           'label_smoothing': ('float', 0.3),
                           'axis': -1},
 'bad_reduction': ('error', 'ValueError'),
 'name_attr': 'sparse_categorical_crossentropy',
 'dtype_attr': 'float32',
 'reduction_attr': 'sum_over_batch_size'}
# END RECORDED

NAMES = kc.namespace(tf, losses, metrics, activations, regularizers, utils)


@pytest.mark.parametrize("name,expression", CASES, ids=[c[0] for c in CASES])
def test_matches_keras(name, expression):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        check_case(name, expression, EXPECTED, NAMES)


# --- inside tf.function: the same values as Keras' eager ones ---------------------------------
TRACED = [  # (case recorded eagerly, loss, y_true, y_pred, sample_weight)
    ("MeanSquaredError_default", lambda: losses.MeanSquaredError(), kc.Y_REG, kc.P_REG, None),
    ("MeanSquaredError_sum_weighted", lambda: losses.MeanSquaredError(reduction="sum"), kc.Y_REG,
     kc.P_REG, kc.SW3),
    ("Huber_mean_with_sample_weight_weighted",
     lambda: losses.Huber(reduction="mean_with_sample_weight"), kc.Y_REG, kc.P_REG, kc.SW3),
    ("bce_probs_weighted", lambda: losses.BinaryCrossentropy(), kc.YB, kc.PB, kc.SW4),
    ("bce_logits_none", lambda: losses.BinaryCrossentropy(from_logits=True, reduction=None),
     kc.YB, kc.LB, None),
    ("cce_probs", lambda: losses.CategoricalCrossentropy(), kc.YC, kc.PC, None),
    ("cce_logits_weighted", lambda: losses.CategoricalCrossentropy(from_logits=True), kc.YC,
     kc.LC, kc.SW4),
    ("scce_logits", lambda: losses.SparseCategoricalCrossentropy(from_logits=True), kc.YS,
     kc.LC, None),
    ("scce_ignore_weighted",
     lambda: losses.SparseCategoricalCrossentropy(from_logits=True, ignore_class=0), kc.YS,
     kc.LC, kc.SW4),
    ("scce_ignore_rank3",
     lambda: losses.SparseCategoricalCrossentropy(from_logits=True, ignore_class=2), kc.YS3,
     kc.LC3, None),
]


@pytest.mark.parametrize("name,make,y_true,y_pred,sample_weight", TRACED,
                         ids=[t[0] for t in TRACED])
def test_loss_inside_tf_function(name, make, y_true, y_pred, sample_weight):
    loss = make()

    @tf.function
    def f(y_true, y_pred, sample_weight):
        return loss(y_true, y_pred, sample_weight)

    args = [tf.constant(y_true), tf.constant(y_pred)]
    args.append(None if sample_weight is None else tf.constant(sample_weight))
    assert_matches(f(*args), EXPECTED[name], name)
    assert_matches(f(*args), EXPECTED[name], name + " (second call)")


def test_keras_logits_survive_tracing():
    """A sigmoid/softmax made inside the traced function still hands its logits to the loss."""
    @tf.function
    def f(y, logits):
        return (losses.BinaryCrossentropy(reduction="none")(y, activations.sigmoid(logits)),
                losses.CategoricalCrossentropy(reduction="none")(y2, activations.softmax(logits2)))

    y2, logits2 = tf.constant(kc.YC), tf.constant(kc.LC * 10)
    bce, cce = f(tf.constant(kc.YB), tf.constant(kc.LB))
    assert_matches(bce, EXPECTED["bce_sigmoid_output_none"], "bce")
    assert_matches(cce, EXPECTED["cce_softmax_output"], "cce")


def test_gradient_inside_tf_function():
    loss = losses.CategoricalCrossentropy(from_logits=True, label_smoothing=0.1)

    @tf.function
    def f(y, logits):
        with tf.GradientTape() as tape:
            tape.watch(logits)
            value = loss(y, logits)
        return [value, tape.gradient(value, logits)]

    assert_matches(f(tf.constant(kc.YC), tf.constant(kc.LC)), EXPECTED["grad_cce_logits"], "grad")


def test_gradient_reaches_variables():
    """A loss of a model-like computation: the gradient reaches the trainable variables."""
    w = tf.Variable(np.ones((4, 5), "float32") * 0.1)
    x = tf.constant(np.arange(16, dtype="float32").reshape(4, 4) / 10)
    loss = losses.SparseCategoricalCrossentropy(from_logits=True)
    with tf.GradientTape() as tape:
        value = loss(kc.YS, tf.matmul(x, w))
    g = tape.gradient(value, w)
    assert g.shape == (4, 5) and np.isfinite(g.numpy()).all() and abs(g.numpy()).sum() > 0


# --- what Keras 3 dropped and tfx_lite keeps (TF 2 behaviour) --------------------------------
def test_tf2_function_aliases():
    assert losses.mse is losses.MSE is losses.mean_squared_error
    assert losses.mae is losses.MAE is losses.mean_absolute_error
    assert losses.mape is losses.MAPE is losses.mean_absolute_percentage_error
    assert losses.msle is losses.MSLE is losses.mean_squared_logarithmic_error
    assert losses.kld is losses.KLD is losses.kl_divergence
    assert losses.logcosh is losses.log_cosh
    assert losses.get("logcosh") is losses.log_cosh


def test_tf2_reduction_names():
    """tf.keras.losses.Reduction (gone from Keras 3): AUTO is SUM_OVER_BATCH_SIZE."""
    R = losses.Reduction
    assert losses.MeanSquaredError(reduction=R.AUTO).reduction == "sum_over_batch_size"
    assert_matches(losses.MeanSquaredError(reduction=R.NONE)(kc.Y_REG, kc.P_REG, kc.SW3),
                   EXPECTED["MeanSquaredError_none_weighted"], "NONE")
    assert_matches(losses.MeanSquaredError(reduction=R.SUM)(kc.Y_REG, kc.P_REG, kc.SW3),
                   EXPECTED["MeanSquaredError_sum_weighted"], "SUM")
    assert_matches(losses.MeanSquaredError(reduction=R.SUM_OVER_BATCH_SIZE)(kc.Y_REG, kc.P_REG),
                   EXPECTED["MeanSquaredError_default"], "SUM_OVER_BATCH_SIZE")


def test_configs_round_trip_their_arguments():
    """Keras 3.15 leaves `delta` (Huber) and `axis` (CosineSimilarity) out of get_config, so
    from_config loses them; here they are kept."""
    huber = losses.Huber(delta=0.3, reduction="sum")
    assert huber.get_config() == {"name": "huber_loss", "reduction": "sum", "delta": 0.3}
    assert losses.Huber.from_config(huber.get_config()).delta == 0.3
    assert losses.CosineSimilarity.from_config(losses.CosineSimilarity(axis=0).get_config()).axis == 0


def test_loss_function_wrapper_and_custom_loss():
    def my_loss(y_true, y_pred, scale=1.0):
        return scale * tf.reduce_mean(tf.abs(y_true - y_pred), axis=-1)

    wrapped = losses.LossFunctionWrapper(my_loss, name="mine", scale=2.0)
    want = 2.0 * np.abs(kc.Y_REG - kc.P_REG).mean()
    np.testing.assert_allclose(wrapped(kc.Y_REG, kc.P_REG).numpy(), want, rtol=1e-6)
    assert wrapped.get_config() == {"name": "mine", "reduction": "sum_over_batch_size",
                                    "fn": "my_loss", "scale": 2.0}

    class Scaled(losses.Loss):
        def call(self, y_true, y_pred):
            return tf.reduce_sum(tf.square(y_true - y_pred), axis=-1)

    loss = Scaled(reduction="sum")
    assert loss.name == "scaled"
    np.testing.assert_allclose(loss(kc.Y_REG, kc.P_REG).numpy(),
                               np.square(kc.Y_REG - kc.P_REG).sum(), rtol=1e-6)


def test_get_loss_for_compile():
    yt, yp = tf.zeros([4]), tf.zeros([4, 3])
    assert losses.get_loss("crossentropy", yt, yp).fn is losses.sparse_categorical_crossentropy
    assert losses.get_loss("ce", tf.zeros([4, 3]), yp).fn is losses.categorical_crossentropy
    assert losses.get_loss("CE", yt, tf.zeros([4, 1])).fn is losses.binary_crossentropy
    mse = losses.get_loss("mse", yt, yp)
    assert isinstance(mse, losses.LossFunctionWrapper) and mse.name == "mse"
    assert losses.get_loss(losses.mean_absolute_error, yt, yp).name == "mean_absolute_error"
    instance = losses.Huber()
    assert losses.get_loss(instance, yt, yp) is instance
    assert losses.get_loss(None, yt, yp) is None
    assert losses.get_loss("crossentropy", (None,), (None, 3)).fn is \
        losses.sparse_categorical_crossentropy  # shapes work too
