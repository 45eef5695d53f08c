"""tf.keras.utils against real Keras: to_categorical, normalize; set_random_seed's effect.
Expected values were printed by TensorFlow 2.21 / Keras 3.15.1 (record_keras.py)."""
import random

import numpy as np
import pytest

import tfx_lite as tf
from tests.tfx_lite.keras import keras_cases as kc
from tests.tfx_lite.keras.keras_cases import check_case
from tfx_lite.keras import activations, losses, metrics, regularizers, utils

# BEGIN CASES
CASES = [
    ("to_categorical", "utils.to_categorical([0, 2, 1, 3])"),
    ("to_categorical_num_classes", "utils.to_categorical(np.array([1, 0, 2]), num_classes=5)"),
    ("to_categorical_column", "utils.to_categorical(np.array([[1], [0], [2]]))"),
    ("to_categorical_2d", "utils.to_categorical(np.array([[1, 0], [2, 2]]), 3)"),
    ("to_categorical_scalar_list", "utils.to_categorical([4])"),
    ("to_categorical_float_labels", "utils.to_categorical([1.0, 0.0])"),
    ("to_categorical_tensor", "utils.to_categorical(const([1, 0, 2], 'int32'), 3)"),
    ("to_categorical_tensor_column", "utils.to_categorical(const([[1], [3]], 'int64'), 4)"),
    ("normalize_numpy", "utils.normalize(np.array([[3.0, 4.0], [0.0, 0.0], [1.0, 1.0]]))"),
    ("normalize_numpy_axis0", "utils.normalize(np.array([[3.0, 4.0], [0.0, 1.0]]), axis=0)"),
    ("normalize_numpy_order1", "utils.normalize(np.array([[3.0, -4.0], [1.0, 1.0]]), order=1)"),
    ("normalize_tensor", "utils.normalize(const(X23))"),
    ("normalize_tensor_order1", "utils.normalize(const(X23), order=1)"),
]
# END CASES

# BEGIN RECORDED
# Printed by TensorFlow 2.21.0 / Keras 3.15.1 (record_keras.py); do not edit by hand.
EXPECTED = {'to_categorical': ('array', 'float64', [4, 4],
                    [1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0,
                     1.0]),
 'to_categorical_num_classes': ('array', 'float64', [3, 5],
                                [0.0, 1.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0,
                                 0.0, 0.0]),
 'to_categorical_column': ('array', 'float64', [3, 3],
                           [0.0, 1.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0, 1.0]),
 'to_categorical_2d': ('array', 'float64', [2, 2, 3],
                       [0.0, 1.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 1.0]),
 'to_categorical_scalar_list': ('array', 'float64', [1, 5], [0.0, 0.0, 0.0, 0.0, 1.0]),
 'to_categorical_float_labels': ('array', 'float64', [2, 2], [0.0, 1.0, 1.0, 0.0]),
 'to_categorical_tensor': ('array', 'float32', [3, 3],
                           [0.0, 1.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0, 1.0]),
 'to_categorical_tensor_column': ('array', 'float32', [2, 4],
                                  [0.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0]),
 'normalize_numpy': ('array', 'float64', [3, 2],
                     [0.6, 0.8, 0.0, 0.0, 0.7071067811865475, 0.7071067811865475]),
 'normalize_numpy_axis0': ('array', 'float64', [2, 2],
                           [1.0, 1.3333333333333333, 0.0, 0.24253562503633297]),
 'normalize_numpy_order1': ('array', 'float64', [2, 2],
                            [0.42857142857142855, -0.5714285714285714, 0.5, 0.5]),
 'normalize_tensor': ('array', 'float32', [2, 3],
                      [-0.86582124, -0.33035663, -0.37578985, 0.8965206, 0.44113046, 0.04067903]),
 'normalize_tensor_order1': ('array', 'float32', [2, 3],
                             [-0.5507882, -0.21015486, -0.23905697, 0.6504397, 0.320047,
                              0.02951327])}
# END RECORDED

NAMES = kc.namespace(tf, losses, metrics, activations, regularizers, utils)


@pytest.mark.parametrize("name,expression", CASES, ids=[c[0] for c in CASES])
def test_matches_keras(name, expression):
    check_case(name, expression, EXPECTED, NAMES)


def test_set_random_seed_seeds_python_numpy_and_tfx_lite():
    utils.set_random_seed(1234)
    first = (random.random(), np.random.rand(), tf.random.uniform([3]).numpy())
    utils.set_random_seed(1234)
    again = (random.random(), np.random.rand(), tf.random.uniform([3]).numpy())
    assert first[0] == again[0] and first[1] == again[1]
    np.testing.assert_array_equal(first[2], again[2])
    assert utils.get_random_seed() == 1234
    utils.set_random_seed(99)
    assert tf.random.uniform([3]).numpy().tolist() != first[2].tolist()
    with pytest.raises(ValueError, match="integer"):
        utils.set_random_seed(1.5)
