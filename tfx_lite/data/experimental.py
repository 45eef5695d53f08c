"""tf.data.experimental: the names people still use."""
from __future__ import annotations

from tfx_lite.data.dataset import AUTOTUNE, INFINITE, UNKNOWN, Dataset
from tfx_lite.data.windowing import DatasetSpec  # noqa: F401

INFINITE_CARDINALITY = INFINITE
UNKNOWN_CARDINALITY = UNKNOWN


def cardinality(dataset: Dataset):
    return dataset.cardinality()


def enumerate_dataset(start=0):
    return lambda dataset: dataset.enumerate(start)


class Options:
    """tf.data.Options: accepted and ignored (the pipeline has no such knobs)."""

    def __init__(self):
        object.__setattr__(self, "_values", {})

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        return self._values.setdefault(name, _OptionGroup())

    def __setattr__(self, name, value):
        self._values[name] = value


class _OptionGroup(Options):
    pass


__all__ = ["AUTOTUNE", "INFINITE_CARDINALITY", "UNKNOWN_CARDINALITY", "cardinality", "enumerate_dataset",
           "Options", "DatasetSpec"]
