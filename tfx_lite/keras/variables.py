"""Keras weights: tf.Variables named as Keras 3 names them (`kernel`, with the path
`dense/kernel`), whose `trainable` flag follows their layer's."""
from __future__ import annotations

from tfx_lite.variables import Variable


class KerasVariable(Variable):
    def __init__(self, initial_value, trainable=True, name=None, path=None, dtype=None):
        super().__init__(initial_value, trainable=trainable, name=name, dtype=dtype)
        self._keras_name = name or "variable"
        self._path = path or self._keras_name

    @property
    def name(self) -> str:
        return self._keras_name

    @property
    def path(self) -> str:
        return self._path

    @property
    def trainable(self) -> bool:
        return self._trainable

    @trainable.setter
    def trainable(self, value):
        self._trainable = bool(value)

    def __repr__(self):
        return (f"<KerasVariable shape={tuple(self.shape.as_list())}, dtype={self.dtype.name}, "
                f"path={self._path}>")
