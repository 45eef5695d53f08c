"""tf.keras.metrics against real Keras: each metric through several `update_state` calls (with
and without sample weights), `reset_state` and one more update; lookups and configs; then the
same updates inside tf.function. Expected values were printed by TensorFlow 2.21 / Keras 3.15.1
(record_keras.py)."""
import warnings

import numpy as np
import pytest

import tfx_lite as tf
from tests.tfx_lite.keras import keras_cases as kc
from tests.tfx_lite.keras.keras_cases import assert_matches, check_case
from tfx_lite.keras import activations, losses, metrics, regularizers, utils

# BEGIN CASES
CASES = [
    # reductions
    ("mean", "run_metric(metrics.Mean(), [([1., 3., 5., 7.],), ([2., 4.], [1., 0.]), (6.,)])"),
    ("mean_2d_values", "run_metric(metrics.Mean(), [(Y_REG,), (P_REG, SW3), (P_REG, SW34)])"),
    ("mean_zero_weights", "run_metric(metrics.Mean(), [(Y_REG, SW_ZERO)])"),
    ("mean_rank3_weights", "run_metric(metrics.Mean(), [(Y_REG3, SW23), (P_REG3, SW21)])"),
    ("sum", "run_metric(metrics.Sum(), [([1., 3., 5., 7.],), (Y_REG, SW3), (P_REG3, SW21)])"),
    ("mean_metric_wrapper", "run_metric(metrics.MeanMetricWrapper(losses.mean_squared_error), [(Y_REG, P_REG), (Y_POS, P_POS, SW3)])"),
    ("mean_metric_wrapper_kwargs", "run_metric(metrics.MeanMetricWrapper(losses.huber, delta=0.4), [(Y_REG, P_REG, SW3)])"),
    # accuracies
    ("accuracy", "run_metric(metrics.Accuracy(), [([1, 2, 3, 4], [0, 2, 3, 4]), ([[1], [2]], [[1], [0]], [0.5, 1.0])])"),
    ("accuracy_float", "run_metric(metrics.Accuracy(), [(YB, np.round(PB)), (YB, np.round(PB), SW4)])"),
    ("binary_accuracy", "run_metric(metrics.BinaryAccuracy(), [(YB, PB), (YB, PB, SW4), (YB1, PB1)])"),
    ("binary_accuracy_threshold", "run_metric(metrics.BinaryAccuracy(threshold=0.7), [(YB, PB), (YB_FLAT, PB1, SW4)])"),
    ("binary_accuracy_exact_threshold", "run_metric(metrics.BinaryAccuracy(), [([1., 0., 1.], [0.5, 0.5, 0.50001])])"),
    ("categorical_accuracy", "run_metric(metrics.CategoricalAccuracy(), [(YC, PC), (YC, LC, SW4), (YC_SOFT, PC)])"),
    ("sparse_categorical_accuracy", "run_metric(metrics.SparseCategoricalAccuracy(), [(YS, PC), (YS1, LC, SW4), (YS_F, LC)])"),
    ("sparse_categorical_accuracy_rank3", "run_metric(metrics.SparseCategoricalAccuracy(), [(YS3, LC3), (YS3, LC3, SW23)])"),
    ("top_k", "run_metric(metrics.TopKCategoricalAccuracy(k=2), [(YC, LC), (YC, PC, SW4)])"),
    ("top_k_default", "run_metric(metrics.TopKCategoricalAccuracy(), [(YC, LC)])"),
    ("sparse_top_k", "run_metric(metrics.SparseTopKCategoricalAccuracy(k=2), [(YS, LC), (YS1, PC, SW4)])"),
    ("sparse_top_k_sorted_ids", "run_metric(metrics.SparseTopKCategoricalAccuracy(k=2, from_sorted_ids=True), [(YS, np.argsort(-LC, axis=-1)[:, :3])])"),
    # regression
    ("mse", "run_metric(metrics.MeanSquaredError(), [(Y_REG, P_REG), (Y_REG3, P_REG3, SW23)])"),
    ("mae", "run_metric(metrics.MeanAbsoluteError(), [(Y_REG, P_REG), (Y_REG, P_REG, SW3)])"),
    ("mape", "run_metric(metrics.MeanAbsolutePercentageError(), [(Y_REG, P_REG), (Y_ZEROS, P_ZEROS)])"),
    ("msle", "run_metric(metrics.MeanSquaredLogarithmicError(), [(Y_POS, P_REG, SW3)])"),
    ("rmse", "run_metric(metrics.RootMeanSquaredError(), [(Y_REG, P_REG), (Y_REG, P_REG, SW3), (Y_REG3, P_REG3, SW21)])"),
    ("cosine", "run_metric(metrics.CosineSimilarity(), [(Y_REG, P_REG), (Y_POS, P_POS, SW3)])"),
    ("cosine_axis0", "run_metric(metrics.CosineSimilarity(axis=0), [(Y_REG, P_REG)])"),
    ("logcosh", "run_metric(metrics.LogCoshError(), [(Y_REG, P_REG, SW3)])"),
    ("hinge", "run_metric(metrics.Hinge(), [(YB, LB), (YPM, LB, SW4)])"),
    ("squared_hinge", "run_metric(metrics.SquaredHinge(), [(YB, LB)])"),
    ("categorical_hinge", "run_metric(metrics.CategoricalHinge(), [(YC, LC, SW4)])"),
    ("kld", "run_metric(metrics.KLDivergence(), [(YC_SOFT, PC), (YC, PC, SW4)])"),
    ("poisson", "run_metric(metrics.Poisson(), [(Y_POS, P_POS)])"),
    # probabilistic
    ("bce", "run_metric(metrics.BinaryCrossentropy(), [(YB, PB), (YB, PB, SW4)])"),
    ("bce_logits_smoothing", "run_metric(metrics.BinaryCrossentropy(from_logits=True, label_smoothing=0.2), [(YB, LB), (YB1, LB[:, :1])])"),
    ("cce", "run_metric(metrics.CategoricalCrossentropy(), [(YC, PC), (YC_SOFT, PC, SW4)])"),
    ("cce_logits", "run_metric(metrics.CategoricalCrossentropy(from_logits=True, label_smoothing=0.1), [(YC, LC)])"),
    ("scce", "run_metric(metrics.SparseCategoricalCrossentropy(), [(YS, PC), (YS1, PC, SW4)])"),
    ("scce_logits", "run_metric(metrics.SparseCategoricalCrossentropy(from_logits=True), [(YS, LC), (YS3, LC3)])"),
    ("scce_ignore", "run_metric(metrics.SparseCategoricalCrossentropy(from_logits=True, ignore_class=0), [(YS, LC), (YS, LC, SW4)])"),
    # AUC
    ("auc_roc", "run_metric(metrics.AUC(), [(Y_AUC, P_AUC), (Y_AUC2, P_AUC2, SW_AUC2)])"),
    ("auc_roc_9", "run_metric(metrics.AUC(num_thresholds=9), [(Y_AUC, P_AUC), (Y_AUC2, P_AUC2, SW_AUC2)])"),
    ("auc_roc_minoring", "run_metric(metrics.AUC(num_thresholds=9, summation_method='minoring'), [(Y_AUC, P_AUC), (Y_AUC2, P_AUC2)])"),
    ("auc_roc_majoring", "run_metric(metrics.AUC(num_thresholds=9, summation_method='majoring'), [(Y_AUC, P_AUC), (Y_AUC2, P_AUC2)])"),
    ("auc_pr", "run_metric(metrics.AUC(curve='PR'), [(Y_AUC, P_AUC), (Y_AUC2, P_AUC2, SW_AUC2)])"),
    ("auc_pr_9", "run_metric(metrics.AUC(curve='pr', num_thresholds=9), [(Y_AUC, P_AUC), (Y_AUC2, P_AUC2, SW_AUC2)])"),
    ("auc_pr_minoring", "run_metric(metrics.AUC(curve='PR', num_thresholds=9, summation_method='minoring'), [(Y_AUC, P_AUC)])"),
    ("auc_pr_majoring", "run_metric(metrics.AUC(curve='PR', num_thresholds=9, summation_method='majoring'), [(Y_AUC, P_AUC)])"),
    ("auc_prgain", "run_metric(metrics.AUC(curve='PRGAIN', num_thresholds=9), [(Y_AUC, P_AUC), (Y_AUC2, P_AUC2)])"),
    ("auc_uneven_thresholds", "run_metric(metrics.AUC(thresholds=[0.3, 0.5, 0.9]), [(Y_AUC, P_AUC), (Y_AUC2, P_AUC2, SW_AUC2)])"),
    ("auc_even_thresholds", "run_metric(metrics.AUC(thresholds=[0.25, 0.5, 0.75]), [(Y_AUC, P_AUC), (Y_AUC2, P_AUC2, SW_AUC2)])"),
    ("auc_pr_uneven_thresholds", "run_metric(metrics.AUC(curve='PR', thresholds=[0.05, 0.3, 0.9]), [(Y_AUC, P_AUC)])"),
    ("auc_column_inputs", "run_metric(metrics.AUC(num_thresholds=9), [(Y_AUC[:, None], P_AUC[:, None]), (Y_AUC2, P_AUC2[:, None], SW_AUC2)])"),
    ("auc_2d_flattened", "run_metric(metrics.AUC(num_thresholds=9), [(Y_ML, P_ML), (Y_ML, P_ML, SW4)])"),
    ("auc_label_weights", "run_metric(metrics.AUC(num_thresholds=9, label_weights=[1.0, 0.5, 2.0]), [(Y_ML, P_ML)])"),
    ("auc_multi_label", "run_metric(metrics.AUC(num_thresholds=9, multi_label=True), [(Y_ML, P_ML), (Y_ML, P_ML[::-1], SW4)])"),
    ("auc_multi_label_num_labels", "run_metric(metrics.AUC(num_thresholds=9, multi_label=True, num_labels=3, label_weights=[1.0, 0.5, 2.0]), [(Y_ML, P_ML)])"),
    ("auc_multi_label_pr", "run_metric(metrics.AUC(curve='PR', num_thresholds=9, multi_label=True), [(Y_ML, P_ML)])"),
    ("auc_multi_label_uneven", "run_metric(metrics.AUC(thresholds=[0.2, 0.5, 0.55], multi_label=True), [(Y_ML, P_ML, SW4)])"),
    ("auc_from_logits", "run_metric(metrics.AUC(num_thresholds=9, from_logits=True), [(YB, LB), (YB, LB, SW4)])"),
    ("auc_empty", "np.asarray(metrics.AUC().result())"),
    ("auc_one_class", "run_metric(metrics.AUC(num_thresholds=9), [(np.ones(4, 'float32'), P_AUC[:4])])"),
    ("auc_thresholds", "[float(t) for t in metrics.AUC(num_thresholds=5).thresholds]"),
    # precision, recall, confusion counts
    ("precision", "run_metric(metrics.Precision(), [(Y_AUC, P_AUC), (Y_AUC2, P_AUC2, SW_AUC2)])"),
    ("precision_thresholds", "run_metric(metrics.Precision(thresholds=[0.3, 0.6]), [(Y_AUC, P_AUC), (Y_AUC2, P_AUC2, SW_AUC2)])"),
    ("precision_even_thresholds", "run_metric(metrics.Precision(thresholds=[0.0, 0.5, 1.0]), [(Y_AUC, P_AUC)])"),
    ("precision_top_k", "run_metric(metrics.Precision(top_k=2), [(YC, PC), (YC, LC, SW4)])"),
    ("precision_class_id", "run_metric(metrics.Precision(class_id=1), [(YB, PB), (YB, PB, SW4)])"),
    ("recall", "run_metric(metrics.Recall(), [(Y_AUC, P_AUC), (Y_AUC2, P_AUC2, SW_AUC2)])"),
    ("recall_thresholds", "run_metric(metrics.Recall(thresholds=[0.3, 0.6]), [(Y_ML, P_ML), (Y_ML, P_ML, SW4)])"),
    ("recall_top_k_class_id", "run_metric(metrics.Recall(top_k=2, class_id=4), [(YC, PC)])"),
    ("true_positives", "run_metric(metrics.TruePositives(), [(Y_AUC, P_AUC), (Y_AUC2, P_AUC2, SW_AUC2)])"),
    ("false_positives", "run_metric(metrics.FalsePositives(thresholds=[0.15, 0.5, 0.85]), [(Y_AUC, P_AUC)])"),
    ("true_negatives", "run_metric(metrics.TrueNegatives(thresholds=[0.0, 0.5, 1.0]), [(Y_AUC, P_AUC)])"),
    ("false_negatives", "run_metric(metrics.FalseNegatives(thresholds=0.4), [(Y_AUC, P_AUC, np.arange(10.0))])"),
    # __call__, variables, lookup, configs
    ("call_updates_and_returns_result", "[np.asarray(m(Y_REG, P_REG)) for m in [metrics.MeanSquaredError()] * 2]"),
    ("variable_shapes", "[tuple(v.shape) for v in metrics.AUC(num_thresholds=7, name='a').variables]"),
    ("variable_shapes_mean", "[tuple(v.shape) for v in metrics.Mean(name='m').variables]"),
    ("variable_trainable", "[v.trainable for v in metrics.Precision(name='p').variables]"),
    ("get_mse", "metrics.get('mse').get_config()"),
    ("get_MAE", "type(metrics.get('MAE')).__name__"),
    ("get_accuracy", "type(metrics.get('accuracy')).__name__"),
    ("get_auc", "metrics.get('auc').get_config()['num_thresholds']"),
    ("get_AUC", "type(metrics.get('AUC')).__name__"),
    ("get_top_k", "type(metrics.get('top_k_categorical_accuracy')).__name__"),
    ("get_cce", "type(metrics.get('categorical_crossentropy')).__name__"),
    ("get_sparse_accuracy", "metrics.get('sparse_categorical_accuracy').name"),
    ("get_binary_accuracy_class", "metrics.get(metrics.BinaryAccuracy).get_config()"),
    ("get_config_dict", "metrics.get({'class_name': 'AUC', 'config': {'num_thresholds': 7, 'curve': 'PR', 'name': 'x'}}).get_config()"),
    ("get_unknown", "metrics.get('nope')"),
    ("get_none", "metrics.get(None)"),
    ("config_auc", "metrics.AUC(num_thresholds=9, curve='PR', summation_method='minoring', name='auc', multi_label=True, num_labels=2, from_logits=True).get_config()"),
    ("config_auc_thresholds", "metrics.AUC(thresholds=[0.5, 0.1], name='auc').get_config()"),
    ("config_precision", "metrics.Precision(thresholds=[0.2, 0.4], top_k=3, class_id=1, name='p').get_config()"),
    ("config_binary_accuracy", "metrics.BinaryAccuracy(threshold=0.3, name='ba').get_config()"),
    ("config_top_k", "metrics.TopKCategoricalAccuracy(k=3, name='t').get_config()"),
    ("config_scce", "metrics.SparseCategoricalCrossentropy(from_logits=True, ignore_class=1, name='s').get_config()"),
    ("config_bce", "metrics.BinaryCrossentropy(label_smoothing=0.1).get_config()"),
    ("config_mean", "metrics.Mean(name='loss').get_config()"),
    ("from_config", "metrics.AUC.from_config(metrics.AUC(num_thresholds=7, curve='PR', name='x').get_config()).get_config()"),
    ("serialize", "metrics.serialize(metrics.CategoricalAccuracy(name='ca'))"),
    ("deserialize", "metrics.deserialize(metrics.serialize(metrics.BinaryAccuracy(threshold=0.2, name='b'))).get_config()"),
    ("dtype_attr", "metrics.Mean().dtype"),
    ("default_names", "[metrics.Accuracy().name, metrics.MeanSquaredError().name, metrics.RootMeanSquaredError().name, metrics.SparseTopKCategoricalAccuracy().name]"),
    ("bad_curve", "metrics.AUC(curve='XYZ')"),
    ("bad_num_thresholds", "metrics.AUC(num_thresholds=1)"),
    ("bad_threshold", "metrics.Precision(thresholds=[1.5])"),
    ("num_labels_without_multi_label", "metrics.AUC(num_labels=3)"),
]
# END CASES

# BEGIN RECORDED
# Printed by TensorFlow 2.21.0 / Keras 3.15.1 (record_keras.py); do not edit by hand.
EXPECTED = {'mean': [('array', 'float32', [], [4.0]), ('array', 'float32', [], [3.6]),
          ('array', 'float32', [], [4.0]), ('array', 'float32', [], [0.0]),
          ('array', 'float32', [], [4.0])],
 'mean_2d_values': [('array', 'float32', [], [0.7482124]), ('array', 'float32', [], [0.54640776]),
                    ('array', 'float32', [], [0.6178033]), ('array', 'float32', [], [0.0]),
                    ('array', 'float32', [], [0.7482124])],
 'mean_zero_weights': [('array', 'float32', [], [0.0]), ('array', 'float32', [], [0.0]),
                       ('array', 'float32', [], [0.0])],
 'mean_rank3_weights': [('array', 'float32', [], [-0.35556906]),
                        ('array', 'float32', [], [-0.3582761]), ('array', 'float32', [], [0.0]),
                        ('array', 'float32', [], [-0.35556906])],
 'sum': [('array', 'float32', [], [16.0]), ('array', 'float32', [], [24.192326]),
         ('array', 'float32', [], [14.443075]), ('array', 'float32', [], [0.0]),
         ('array', 'float32', [], [16.0])],
 'mean_metric_wrapper': [('array', 'float32', [], [2.2963543]),
                         ('array', 'float32', [], [1.3120803]), ('array', 'float32', [], [0.0]),
                         ('array', 'float32', [], [2.2963543])],
 'mean_metric_wrapper_kwargs': [('array', 'float32', [], [0.492132]),
                                ('array', 'float32', [], [0.0]),
                                ('array', 'float32', [], [0.492132])],
 'accuracy': [('array', 'float32', [], [0.75]), ('array', 'float32', [], [0.6363636]),
              ('array', 'float32', [], [0.0]), ('array', 'float32', [], [0.75])],
 'accuracy_float': [('array', 'float32', [], [0.75]), ('array', 'float32', [], [0.8]),
                    ('array', 'float32', [], [0.0]), ('array', 'float32', [], [0.75])],
 'binary_accuracy': [('array', 'float32', [], [0.75]), ('array', 'float32', [], [0.8]),
                     ('array', 'float32', [], [0.8695652]), ('array', 'float32', [], [0.0]),
                     ('array', 'float32', [], [0.75])],
 'binary_accuracy_threshold': [('array', 'float32', [], [0.6666667]),
                               ('array', 'float32', [], [0.8222223]),
                               ('array', 'float32', [], [0.0]),
                               ('array', 'float32', [], [0.6666667])],
 'binary_accuracy_exact_threshold': [('array', 'float32', [], [0.6666667]),
                                     ('array', 'float32', [], [0.0]),
                                     ('array', 'float32', [], [0.6666667])],
 'categorical_accuracy': [('array', 'float32', [], [0.75]), ('array', 'float32', [], [0.46666667]),
                          ('array', 'float32', [], [0.47826087]), ('array', 'float32', [], [0.0]),
                          ('array', 'float32', [], [0.75])],
 'sparse_categorical_accuracy': [('array', 'float32', [], [0.75]),
                                 ('array', 'float32', [], [0.46666667]),
                                 ('array', 'float32', [], [0.39130434]),
                                 ('array', 'float32', [], [0.0]),
                                 ('array', 'float32', [], [0.75])],
 'sparse_categorical_accuracy_rank3': [('array', 'float32', [], [0.16666667]),
                                       ('array', 'float32', [], [0.30769232]),
                                       ('array', 'float32', [], [0.0]),
                                       ('array', 'float32', [], [0.16666667])],
 'top_k': [('array', 'float32', [], [0.25]), ('array', 'float32', [], [0.6]),
           ('array', 'float32', [], [0.0]), ('array', 'float32', [], [0.25])],
 'top_k_default': [('array', 'float32', [], [1.0]), ('array', 'float32', [], [0.0]),
                   ('array', 'float32', [], [1.0])],
 'sparse_top_k': [('array', 'float32', [], [0.25]), ('array', 'float32', [], [0.6]),
                  ('array', 'float32', [], [0.0]), ('array', 'float32', [], [0.25])],
 'sparse_top_k_sorted_ids': [('array', 'float32', [], [0.25]), ('array', 'float32', [], [0.0]),
                             ('array', 'float32', [], [0.25])],
 'mse': [('array', 'float32', [], [2.2963543]), ('array', 'float32', [], [2.0970948]),
         ('array', 'float32', [], [0.0]), ('array', 'float32', [], [2.2963543])],
 'mae': [('array', 'float32', [], [1.1674825]), ('array', 'float32', [], [1.3074696]),
         ('array', 'float32', [], [0.0]), ('array', 'float32', [], [1.1674825])],
 'mape': [('array', 'float32', [], [514.46796]), ('array', 'float32', [], [31250392.0]),
          ('array', 'float32', [], [0.0]), ('array', 'float32', [], [514.46796])],
 'msle': [('array', 'float32', [], [0.28770372]), ('array', 'float32', [], [0.0]),
          ('array', 'float32', [], [0.28770372])],
 'rmse': [('array', 'float32', [], [1.5153726]), ('array', 'float32', [], [1.6715285]),
          ('array', 'float32', [], [1.6718302]), ('array', 'float32', [], [0.0]),
          ('array', 'float32', [], [1.5153726])],
 'cosine': [('array', 'float32', [], [0.7304017]), ('array', 'float32', [], [0.8230959]),
            ('array', 'float32', [], [0.0]), ('array', 'float32', [], [0.7304017])],
 'cosine_axis0': [('array', 'float32', [], [0.85766405]), ('array', 'float32', [], [0.0]),
                  ('array', 'float32', [], [0.85766405])],
 'logcosh': [('array', 'float32', [], [0.8805121]), ('array', 'float32', [], [0.0]),
             ('array', 'float32', [], [0.8805121])],
 'hinge': [('array', 'float32', [], [2.2708333]), ('array', 'float32', [], [2.088889]),
           ('array', 'float32', [], [0.0]), ('array', 'float32', [], [2.2708333])],
 'squared_hinge': [('array', 'float32', [], [37.942703]), ('array', 'float32', [], [0.0]),
                   ('array', 'float32', [], [37.942703])],
 'categorical_hinge': [('array', 'float32', [], [3.3944135]), ('array', 'float32', [], [0.0]),
                       ('array', 'float32', [], [3.3944135])],
 'kld': [('array', 'float32', [], [0.90974015]), ('array', 'float32', [], [0.8427162]),
         ('array', 'float32', [], [0.0]), ('array', 'float32', [], [0.90974015])],
 'poisson': [('array', 'float32', [], [1.3965569]), ('array', 'float32', [], [0.0]),
             ('array', 'float32', [], [1.3965569])],
 'bce': [('array', 'float32', [], [2.9346623]), ('array', 'float32', [], [2.7243001]),
         ('array', 'float32', [], [0.0]), ('array', 'float32', [], [2.9346623])],
 'bce_logits_smoothing': [('array', 'float32', [], [2.2941225]),
                          ('array', 'float32', [], [1.370155]), ('array', 'float32', [], [0.0]),
                          ('array', 'float32', [], [2.2941225])],
 'cce': [('array', 'float32', [], [0.77225506]), ('array', 'float32', [], [1.8957423]),
         ('array', 'float32', [], [0.0]), ('array', 'float32', [], [0.77225506])],
 'cce_logits': [('array', 'float32', [], [2.1562543]), ('array', 'float32', [], [0.0]),
                ('array', 'float32', [], [2.1562543])],
 'scce': [('array', 'float32', [], [0.7722552]), ('array', 'float32', [], [0.77320594]),
          ('array', 'float32', [], [0.0]), ('array', 'float32', [], [0.7722552])],
 'scce_logits': [('array', 'float32', [], [2.0948997]), ('array', 'float32', [], [1.9099674]),
                 ('array', 'float32', [], [0.0]), ('array', 'float32', [], [2.0948997])],
 'scce_ignore': [('array', 'float32', [], [2.0324392]), ('array', 'float32', [], [2.6509385]),
                 ('array', 'float32', [], [0.0]), ('array', 'float32', [], [2.0324392])],
 'auc_roc': [('array', 'float32', [], [0.94]), ('array', 'float32', [], [0.7933333]),
             ('array', 'float32', [], [0.0]), ('array', 'float32', [], [0.94])],
 'auc_roc_9': [('array', 'float32', [], [0.96]), ('array', 'float32', [], [0.79333335]),
               ('array', 'float32', [], [0.0]), ('array', 'float32', [], [0.96])],
 'auc_roc_minoring': [('array', 'float32', [], [0.91999996]), ('array', 'float32', [], [0.734375]),
                      ('array', 'float32', [], [0.0]), ('array', 'float32', [], [0.91999996])],
 'auc_roc_majoring': [('array', 'float32', [], [1.0]), ('array', 'float32', [], [0.828125]),
                      ('array', 'float32', [], [0.0]), ('array', 'float32', [], [1.0])],
 'auc_pr': [('array', 'float32', [], [0.94015956]), ('array', 'float32', [], [0.74336755]),
            ('array', 'float32', [], [0.0]), ('array', 'float32', [], [0.94015956])],
 'auc_pr_9': [('array', 'float32', [], [0.9590863]), ('array', 'float32', [], [0.76415026]),
              ('array', 'float32', [], [0.0]), ('array', 'float32', [], [0.9590863])],
 'auc_pr_minoring': [('array', 'float32', [], [0.7333333]), ('array', 'float32', [], [0.0]),
                     ('array', 'float32', [], [0.7333333])],
 'auc_pr_majoring': [('array', 'float32', [], [0.99999994]), ('array', 'float32', [], [0.0]),
                     ('array', 'float32', [], [0.99999994])],
 'auc_prgain': [('array', 'float32', [], [0.93333334]), ('array', 'float32', [], [0.4702381]),
                ('array', 'float32', [], [0.0]), ('array', 'float32', [], [0.93333334])],
 'auc_uneven_thresholds': [('array', 'float32', [], [0.9200001]),
                           ('array', 'float32', [], [0.70000005]), ('array', 'float32', [], [0.0]),
                           ('array', 'float32', [], [0.9200001])],
 'auc_even_thresholds': [('array', 'float32', [], [0.9200001]),
                         ('array', 'float32', [], [0.7733333]), ('array', 'float32', [], [0.0]),
                         ('array', 'float32', [], [0.9200001])],
 'auc_pr_uneven_thresholds': [('array', 'float32', [], [0.81981826]),
                              ('array', 'float32', [], [0.0]),
                              ('array', 'float32', [], [0.81981826])],
 'auc_column_inputs': [('array', 'float32', [], [0.96]), ('array', 'float32', [], [0.79333335]),
                       ('array', 'float32', [], [0.0]), ('array', 'float32', [], [0.96])],
 'auc_2d_flattened': [('array', 'float32', [], [1.0]), ('array', 'float32', [], [1.0]),
                      ('array', 'float32', [], [0.0]), ('array', 'float32', [], [1.0])],
 'auc_label_weights': [('array', 'float32', [], [1.0]), ('array', 'float32', [], [0.0]),
                       ('array', 'float32', [], [1.0])],
 'auc_multi_label': [('array', 'float32', [], [1.0]), ('array', 'float32', [], [0.80816716]),
                     ('array', 'float32', [], [0.0]), ('array', 'float32', [], [1.0])],
 'auc_multi_label_num_labels': [('array', 'float32', [], [1.0]), ('array', 'float32', [], [0.0]),
                                ('array', 'float32', [], [1.0])],
 'auc_multi_label_pr': [('array', 'float32', [], [1.0]), ('array', 'float32', [], [0.0]),
                        ('array', 'float32', [], [1.0])],
 'auc_multi_label_uneven': [('array', 'float32', [], [0.6666667]), ('array', 'float32', [], [0.0]),
                            ('array', 'float32', [], [0.6666667])],
 'auc_from_logits': [('array', 'float32', [], [0.7083333]), ('array', 'float32', [], [0.67261904]),
                     ('array', 'float32', [], [0.0]), ('array', 'float32', [], [0.7083333])],
 'auc_empty': ('array', 'float32', [], [0.0]),
 'auc_one_class': [('array', 'float32', [], [0.0]), ('array', 'float32', [], [0.0]),
                   ('array', 'float32', [], [0.0])],
 'auc_thresholds': [('float', -1e-07), ('float', 0.25), ('float', 0.5), ('float', 0.75),
                    ('float', 1.0000001)],
 'precision': [('array', 'float32', [], [1.0]), ('array', 'float32', [], [0.6363636]),
               ('array', 'float32', [], [0.0]), ('array', 'float32', [], [1.0])],
 'precision_thresholds': [('array', 'float32', [2], [0.71428573, 1.0]),
                          ('array', 'float32', [2], [0.57894737, 0.6363636]),
                          ('array', 'float32', [2], [0.0, 0.0]),
                          ('array', 'float32', [2], [0.71428573, 1.0])],
 'precision_even_thresholds': [('array', 'float32', [3], [0.5555556, 1.0, 0.0]),
                               ('array', 'float32', [3], [0.0, 0.0, 0.0]),
                               ('array', 'float32', [3], [0.5555556, 1.0, 0.0])],
 'precision_top_k': [('array', 'float32', [], [0.5]), ('array', 'float32', [], [0.3]),
                     ('array', 'float32', [], [0.0]), ('array', 'float32', [], [0.5])],
 'precision_class_id': [('array', 'float32', [], [1.0]), ('array', 'float32', [], [1.0]),
                        ('array', 'float32', [], [0.0]), ('array', 'float32', [], [1.0])],
 'recall': [('array', 'float32', [], [0.6]), ('array', 'float32', [], [0.46666667]),
            ('array', 'float32', [], [0.0]), ('array', 'float32', [], [0.6])],
 'recall_thresholds': [('array', 'float32', [2], [1.0, 0.42857143]),
                       ('array', 'float32', [2], [1.0, 0.5416667]),
                       ('array', 'float32', [2], [0.0, 0.0]),
                       ('array', 'float32', [2], [1.0, 0.42857143])],
 'recall_top_k_class_id': [('array', 'float32', [], [1.0]), ('array', 'float32', [], [0.0]),
                           ('array', 'float32', [], [1.0])],
 'true_positives': [('array', 'float32', [], [3.0]), ('array', 'float32', [], [3.5]),
                    ('array', 'float32', [], [0.0]), ('array', 'float32', [], [3.0])],
 'false_positives': [('array', 'float32', [3], [3.0, 0.0, 0.0]),
                     ('array', 'float32', [3], [0.0, 0.0, 0.0]),
                     ('array', 'float32', [3], [3.0, 0.0, 0.0])],
 'true_negatives': [('array', 'float32', [3], [1.0, 5.0, 5.0]),
                    ('array', 'float32', [3], [0.0, 0.0, 0.0]),
                    ('array', 'float32', [3], [1.0, 5.0, 5.0])],
 'false_negatives': [('array', 'float32', [], [2.0]), ('array', 'float32', [], [0.0]),
                     ('array', 'float32', [], [2.0])],
 'call_updates_and_returns_result': [('array', 'float32', [], [2.2963543]),
                                     ('array', 'float32', [], [2.2963543])],
 'variable_shapes': [[7], [7], [7], [7]],
 'variable_shapes_mean': [[], []],
 'variable_trainable': [False, False],
 'get_mse': {'name': 'mean_squared_error', 'dtype': 'float32'},
 'get_MAE': 'MeanAbsoluteError',
 'get_accuracy': 'Accuracy',
 'get_auc': 200,
 'get_AUC': 'AUC',
 'get_top_k': 'TopKCategoricalAccuracy',
 'get_cce': 'CategoricalCrossentropy',
 'get_sparse_accuracy': 'sparse_categorical_accuracy',
 'get_binary_accuracy_class': {'name': 'binary_accuracy',
                               'dtype': 'float32',
                               'threshold': ('float', 0.5)},
 'get_config_dict': {'name': 'x',
                     'dtype': 'float32',
                     'num_thresholds': 7,
                     'curve': 'PR',
                     'summation_method': 'interpolation',
                     'multi_label': False,
                     'num_labels': None,
                     'label_weights': None,
                     'from_logits': False},
 'get_unknown': ('error', 'ValueError'),
 'get_none': None,
 'config_auc': {'name': 'auc',
                'dtype': 'float32',
                'num_thresholds': 9,
                'curve': 'PR',
                'summation_method': 'minoring',
                'multi_label': True,
                'num_labels': 2,
                'label_weights': None,
                'from_logits': True},
 'config_auc_thresholds': {'name': 'auc',
                           'dtype': 'float32',
                           'num_thresholds': 4,
                           'curve': 'ROC',
                           'summation_method': 'interpolation',
                           'multi_label': False,
                           'num_labels': None,
                           'label_weights': None,
                           'from_logits': False,
                           'thresholds': [('float', np.float64(0.1)), ('float', np.float64(0.5))]},
 'config_precision': {'name': 'p',
                      'dtype': 'float32',
                      'thresholds': [('float', 0.2), ('float', 0.4)],
                      'top_k': 3,
                      'class_id': 1},
 'config_binary_accuracy': {'name': 'ba', 'dtype': 'float32', 'threshold': ('float', 0.3)},
 'config_top_k': {'name': 't', 'dtype': 'float32', 'k': 3},
 'config_scce': {'name': 's',
                 'dtype': 'float32',
                 'from_logits': True,
                 'ignore_class': 1,
                 'axis': -1},
 'config_bce': {'name': 'binary_crossentropy',
                'dtype': 'float32',
                'from_logits': False,
                'label_smoothing': ('float', 0.1)},
 'config_mean': {'name': 'loss', 'dtype': 'float32'},
 'from_config': {'name': 'x',
                 'dtype': 'float32',
                 'num_thresholds': 7,
                 'curve': 'PR',
                 'summation_method': 'interpolation',
                 'multi_label': False,
                 'num_labels': None,
                 'label_weights': None,
                 'from_logits': False},
 'serialize': {'module': 'keras.metrics',
               'class_name': 'CategoricalAccuracy',
               'config': {'name': 'ca', 'dtype': 'float32'},
               'registered_name': None},
 'deserialize': {'name': 'b', 'dtype': 'float32', 'threshold': ('float', 0.2)},
 'dtype_attr': 'float32',
 'default_names': ['accuracy', 'mean_squared_error', 'root_mean_squared_error',
                   'sparse_top_k_categorical_accuracy'],
 'bad_curve': ('error', 'ValueError'),
 'bad_num_thresholds': ('error', 'ValueError'),
 'bad_threshold': ('error', 'ValueError'),
 'num_labels_without_multi_label': ('error', 'ValueError')}
# END RECORDED

NAMES = kc.namespace(tf, losses, metrics, activations, regularizers, utils)


@pytest.mark.parametrize("name,expression", CASES, ids=[c[0] for c in CASES])
def test_matches_keras(name, expression):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        check_case(name, expression, EXPECTED, NAMES)


# --- inside tf.function: updates become graph outputs written back after each call -----------
TRACED = [  # (case recorded eagerly, metric, calls)
    ("mean", lambda: metrics.Mean(), [(np.array([1., 3., 5., 7.], "float32"), None),
                                      (np.array([2., 4.], "float32"), np.array([1., 0.], "float32"))]),
    ("auc_roc", lambda: metrics.AUC(), [(kc.Y_AUC, kc.P_AUC, None),
                                        (kc.Y_AUC2, kc.P_AUC2, kc.SW_AUC2)]),
    ("auc_pr", lambda: metrics.AUC(curve="PR"), [(kc.Y_AUC, kc.P_AUC, None),
                                                 (kc.Y_AUC2, kc.P_AUC2, kc.SW_AUC2)]),
    ("auc_multi_label", lambda: metrics.AUC(num_thresholds=9, multi_label=True),
     [(kc.Y_ML, kc.P_ML, None), (kc.Y_ML, kc.P_ML[::-1], kc.SW4)]),
    ("precision_thresholds", lambda: metrics.Precision(thresholds=[0.3, 0.6]),
     [(kc.Y_AUC, kc.P_AUC, None), (kc.Y_AUC2, kc.P_AUC2, kc.SW_AUC2)]),
    ("sparse_categorical_accuracy", lambda: metrics.SparseCategoricalAccuracy(),
     [(kc.YS, kc.PC, None), (kc.YS1, kc.LC, kc.SW4)]),
    ("scce_ignore", lambda: metrics.SparseCategoricalCrossentropy(from_logits=True, ignore_class=0),
     [(kc.YS, kc.LC, None), (kc.YS, kc.LC, kc.SW4)]),
    ("rmse", lambda: metrics.RootMeanSquaredError(),
     [(kc.Y_REG, kc.P_REG, None), (kc.Y_REG, kc.P_REG, kc.SW3)]),
]




@pytest.mark.parametrize("name,make,calls", TRACED, ids=[t[0] for t in TRACED])
def test_metric_updates_inside_tf_function(name, make, calls):
    """`update_state` traced (once per signature); each call's assignments are written back,
    so the eager `result()` after each call is Keras' result after that many updates."""
    metric = make()

    @tf.function
    def update(*args):
        metric.update_state(*args)

    @tf.function
    def result():
        return metric.result()

    want = EXPECTED[name]
    for i, call in enumerate(calls):
        args = [tf.constant(a) for a in call if a is not None]
        update(*args)
        assert_matches(np.asarray(metric.result()), want[i], f"{name} after update {i}")
        assert_matches(np.asarray(result()), want[i], f"{name} traced result after update {i}")
    metric.reset_state()
    assert_matches(np.asarray(metric.result()), want[-2], f"{name} after reset")


def test_metric_call_inside_tf_function_returns_the_running_result():
    metric = metrics.BinaryAccuracy()
    step = tf.function(lambda y, p: metric(y, p))
    want = EXPECTED["binary_accuracy"]
    assert_matches(step(tf.constant(kc.YB), tf.constant(kc.PB)), want[0], "first call")
    # 4 samples more (all right): the mean of 8 per-sample accuracies
    second = (want[0][3][0] * 4 + np.sum(kc.YB1 == (kc.PB1 > 0.5))) / 8
    assert_matches(step(tf.constant(kc.YB1), tf.constant(kc.PB1)),
                   ("array", "float32", [], [second]), "second call")


def test_auc_built_lazily_inside_tf_function():
    """multi_label AUC without num_labels makes its variables at the first update, here while
    tracing; later calls update them."""
    metric = metrics.AUC(num_thresholds=9, multi_label=True)
    update = tf.function(lambda y, p: metric.update_state(y, p))
    update(tf.constant(kc.Y_ML), tf.constant(kc.P_ML))
    assert [tuple(v.shape) for v in metric.variables] == [(9, 3)] * 4
    assert_matches(metric.result(), EXPECTED["auc_multi_label"][0], "after one update")


# --- tfx_lite additions -------------------------------------------------------------------------
def test_get_metric_resolves_accuracy_from_shapes():
    """compile(metrics=['accuracy']) as Keras 3: binary when y_pred has one unit, sparse when the
    labels have a lower rank (or one column against several), categorical otherwise."""
    cases = [((8,), (8, 1), metrics.BinaryAccuracy), ((8, 1), (8, 1), metrics.BinaryAccuracy),
             ((8,), (8, 5), metrics.SparseCategoricalAccuracy),
             ((8, 1), (8, 5), metrics.SparseCategoricalAccuracy),
             ((8, 5), (8, 5), metrics.CategoricalAccuracy)]
    for y_true, y_pred, cls in cases:
        for identifier in ("accuracy", "acc", "Accuracy", "ACC"):
            m = metrics.get_metric(identifier, tf.zeros(y_true), tf.zeros(y_pred))
            assert type(m) is cls and m.name == identifier, (identifier, y_true, y_pred)
        assert type(metrics.get_metric("acc", y_true, y_pred)) is cls  # shapes as tuples
    assert metrics.resolve_accuracy is metrics.get_metric


def test_get_metric_names_and_wraps():
    m = metrics.get_metric("mse", (4, 1), (4, 1))
    assert isinstance(m, metrics.MeanSquaredError) and m.name == "mse"
    m = metrics.get_metric(losses.mean_absolute_error, (4,), (4,))
    assert isinstance(m, metrics.MeanMetricWrapper) and m.name == "mean_absolute_error"
    auc = metrics.AUC(name="my_auc")
    assert metrics.get_metric(auc, (4,), (4,)) is auc and auc.name == "my_auc"
    with pytest.raises(ValueError):
        metrics.get_metric(None, (4,), (4,))


def test_variables_are_non_trainable_state():
    m = metrics.Mean(name="loss_tracker")
    assert [v.name for v in m.variables] == ["loss_tracker/total:0", "loss_tracker/count:0"]
    assert all(not v.trainable for v in m.variables)
    assert m.trainable_weights == [] and m.non_trainable_weights == m.variables

    class TwoMeans(metrics.Metric):
        def __init__(self):
            super().__init__(name="two")
            self.a = metrics.Mean(name="a")
            self.b = metrics.Sum(name="b")

        def update_state(self, x):
            self.a.update_state(x)
            self.b.update_state(x)

        def result(self):
            return self.a.result() + self.b.result()

    two = TwoMeans()
    assert len(two.variables) == 3
    two.update_state([1.0, 3.0])
    assert float(two.result()) == 6.0
    two.reset_states()  # TF 2's name
    assert float(two.result()) == 0.0


def test_custom_metric_with_add_weight():
    class Count(metrics.Metric):
        def __init__(self, name="count", **kwargs):
            super().__init__(name=name, **kwargs)
            self.n = self.add_weight(name="n", initializer="zeros")

        def update_state(self, y_true, y_pred, sample_weight=None):
            self.n.assign_add(tf.cast(tf.size(y_true), self.n.dtype))

        def result(self):
            return self.n

    c = Count()
    step = tf.function(lambda y: c.update_state(y, y))
    step(tf.zeros([3]))
    step(tf.zeros([3]))
    assert float(c.result()) == 6.0
    c.reset_state()
    assert float(c.result()) == 0.0

    class Forgot(metrics.Metric):
        def __init__(self):
            pass

    with pytest.raises(RuntimeError, match="super"):
        Forgot().add_variable(shape=(), name="x")


def test_tf2_function_aliases():
    assert metrics.mse is metrics.MSE is losses.mean_squared_error
    assert metrics.mae is metrics.MAE is losses.mean_absolute_error
    assert metrics.sparse_categorical_accuracy([1, 0], [[0.1, 0.9], [0.2, 0.8]]).numpy().tolist() \
        == [1.0, 0.0]
