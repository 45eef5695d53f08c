"""tf.random with TF's seed rules: a global seed (set_seed), op seeds, Generators, stateless ops."""
from __future__ import annotations

_global_seed = [None]

__all__ = ["set_seed"]


def set_seed(seed):
    _global_seed[0] = seed
