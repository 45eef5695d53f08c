"""tf.random (and tf.random.experimental): see tfx_lite/ops/random_ops.py for the seed rules.

Values come from JAX's threefry PRNG, not TensorFlow's Philox: shapes, dtypes, ranges,
distributions, determinism and errors follow TF; the numbers themselves differ from TF's.
"""
import types as _types

from tfx_lite.ops import random_ops as _random_ops
from tfx_lite.ops.random_ops import *  # noqa: F401,F403

experimental = _types.ModuleType("tfx_lite.random.experimental",
                                 "tf.random.experimental: Generators and stateless helpers.")
for _name, _value in {
    "Algorithm": _random_ops.Algorithm,
    "Generator": _random_ops.Generator,
    "create_rng_state": _random_ops.create_rng_state,
    "get_global_generator": _random_ops.get_global_generator,
    "set_global_generator": _random_ops.set_global_generator,
    "stateless_fold_in": _random_ops.fold_in,
    "stateless_split": _random_ops.split,
    "stateless_shuffle": _random_ops.stateless_shuffle,
}.items():
    setattr(experimental, _name, _value)
del _name, _value
