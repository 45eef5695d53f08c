"""How results are written to and read from the recorded JSON files (no TF or tfx_lite here)."""
import math

import numpy as np


def encode_array(array: np.ndarray, dtype_name: str) -> dict:
    if array.dtype.kind in "SUO":
        flat = [v.decode("utf-8", "backslashreplace") if isinstance(v, bytes) else str(v)
                for v in array.reshape(-1)]
        values = flat
    elif array.dtype.kind == "c":
        values = [[encode_float(v.real), encode_float(v.imag)] for v in array.reshape(-1)]
    elif array.dtype.kind == "f" or dtype_name == "bfloat16":
        values = [encode_float(float(v)) for v in array.reshape(-1)]
    else:
        values = [v.item() for v in array.reshape(-1)]
    return {"dtype": dtype_name, "shape": list(array.shape), "values": values}


def encode_float(v: float):
    if math.isnan(v):
        return "nan"
    if math.isinf(v):
        return "inf" if v > 0 else "-inf"
    return float(v)


def decode_values(record: dict) -> np.ndarray:
    """The recorded values as a flat numpy array (float64, complex128, int, bool or str)."""
    values = record["values"]
    name = record["dtype"]
    if name == "string":
        return np.array(values, dtype=object)
    if name.startswith("complex"):
        return np.array([complex(float(r), float(i)) for r, i in values], dtype=np.complex128)
    if name.startswith(("float", "bfloat")):
        return np.array([float(v) for v in values], dtype=np.float64)
    if name == "bool":
        return np.array(values, dtype=bool)
    return np.array(values, dtype=object).astype(np.int64 if name != "uint64" else np.uint64)
