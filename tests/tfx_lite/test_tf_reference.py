"""Every case recorded from real TensorFlow (tests/tf_reference/*.json), run through tfx_lite:
same dtype, shape and values, the same error type, the same printed text."""
import glob
import json
import os

import numpy as np
import pytest

import tfx_lite as tf
from tests.tf_reference.encoding import decode_values, encode_array

REFERENCE_DIR = os.path.join(os.path.dirname(__file__), "..", "tf_reference")
TOLERANCE = {"float16": 2e-3, "bfloat16": 1e-2, "float32": 2e-5, "complex64": 2e-5}


def _cases():
    for path in sorted(glob.glob(os.path.join(REFERENCE_DIR, "*.json"))):
        family = os.path.basename(path)[:-5]
        with open(path) as f:
            for name, case in sorted(json.load(f)["cases"].items()):
                yield pytest.param(case, id=f"{family}:{name}")


def assert_matches(got, want, expression):
    if "tensor" in want:
        assert isinstance(got, (tf.Tensor, tf.Variable)), f"{expression}: expected a Tensor, got {got!r}"
        record = want["tensor"]
        assert got.dtype.name == record["dtype"], f"{expression}: dtype {got.dtype.name} != TF's {record['dtype']}"
        assert list(got.shape) == record["shape"], f"{expression}: shape {list(got.shape)} != TF's {record['shape']}"
        mine = decode_values(encode_array(np.asarray(got.numpy()), got.dtype.name))
        theirs = decode_values(record)
        if theirs.dtype == object or theirs.dtype == bool or theirs.dtype.kind in "iu":
            assert list(mine) == list(theirs), f"{expression}: {list(mine)} != TF's {list(theirs)}"
        else:
            rtol = TOLERANCE.get(record["dtype"], 1e-9)
            np.testing.assert_allclose(mine, theirs, rtol=rtol, atol=rtol, equal_nan=True,
                                       err_msg=expression)
    elif "sequence" in want:
        assert len(got) == len(want["sequence"]), expression
        for g, w in zip(got, want["sequence"]):
            assert_matches(g, w, expression)
    elif "text" in want:
        assert (got if isinstance(got, str) else repr(got)) == want["text"], expression
    else:
        assert got == want["python"], f"{expression}: {got!r} != TF's {want['python']!r}"


@pytest.mark.parametrize("case", list(_cases()))
def test_matches_tensorflow(case):
    expression = case["expression"]
    if "error" in case:
        with pytest.raises(Exception) as info:
            eval(expression, {"tf": tf, "np": np})
        assert type(info.value).__name__ == case["error"], (
            f"{expression}: raised {type(info.value).__name__}({info.value}), TF raises "
            f"{case['error']}({case['message']})")
        return
    tf.random.set_seed(0)
    assert_matches(eval(expression, {"tf": tf, "np": np}), case, expression)
