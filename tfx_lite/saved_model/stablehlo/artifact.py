"""The StableHLO artifact layout and what export and load share (see the package docstring)."""
from __future__ import annotations

import numpy as np

from compiler.types import short_dtype_name
from tfx_lite.framework import dtypes

FORMAT = "tfx_lite.stablehlo"
VERSION = 1
MANIFEST = "stablehlo.json"
MODULE = "module.bin"
VARIABLES = "variables.npz"
PLATFORMS = ("cpu", "cuda", "rocm", "tpu")



def _dtype_name(np_dtype) -> str:
    return dtypes.as_dtype(np.dtype(np_dtype)).name


def _dim(d):
    """A recorded dimension: an int, or a symbolic dimension's text ("batch", "2*batch")."""
    return int(d) if isinstance(d, (int, np.integer)) else str(d)



def _numpy_dtype(name):
    return np.dtype(dtypes.as_dtype(name).as_numpy_dtype)


def _type_text(entry):
    dims = ",".join("?" if d is None else str(d) for d in entry["shape"])
    try:
        short = short_dtype_name(_numpy_dtype(entry["dtype"]))
    except (KeyError, TypeError):
        short = entry["dtype"]
    return f"{short}[{dims}]"

