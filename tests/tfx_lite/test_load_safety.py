"""Every loader fed damaged files: truncated, bit-flipped, another version or format, missing,
well-sealed but malformed, paths that leave the directory, archives with odd member names,
pickles and code in IR text. Each must raise a clean error of TF's type that names the damaged
file and the problem, run nothing stored in the file, and leave live state as it was.

(StableHLO exports are covered by test_stablehlo.py.)"""
from __future__ import annotations

import contextlib
import io
import json
import os
import re
import shutil
import zipfile

import numpy as np
import pytest

import tfx_lite as tf
import tfx_lite.compat.v1 as v1
from compiler.parser import IRParseError, parse_program
from tfx_lite.saving import manifest

DataLoss = tf.errors.DataLossError
SAVED_MODEL_FILES = ["saved_model.json", "functions/0.ir", "functions/constants.npz",
                     "variables/variables.index", "variables/variables.data-00000-of-00001"]
BUNDLE_FORMAT, SAVED_MODEL_FORMAT = "tfx_lite.tensor_bundle", "tfx_lite.saved_model"
DAMAGES = ["half", "empty", "flip"]
DAMAGED = r"checksum mismatch|not a tfx_lite\.\w+ file"


# --- damaging files -----------------------------------------------------------------------------

def damage(path, how):
    data = bytearray(open(path, "rb").read())
    if how == "half":
        data = data[:len(data) // 2]
    elif how == "empty":
        data = bytearray()
    else:  # one bit, in the middle
        data[len(data) // 2] ^= 0x08
    with open(path, "wb") as f:
        f.write(bytes(data))


def read_manifest(path):
    head, _, text = open(path, "rb").read().partition(b"\n")
    return json.loads(head), json.loads(text)


class Replace:
    """What an edit returns to replace a manifest's body instead of changing it in place."""

    def __init__(self, body):
        self.body = body


def _set(getter, key, value):
    """An edit: set `key` of the part of the body that `getter(body)` gives to `value`."""
    def edit(body):
        getter(body)[key] = value
    return edit


def rewrite_manifest(path, edit=None, version=None, format=None):
    """Re-seal `path` with a valid checksum after `edit(body)` (in place, or a Replace of it)."""
    header, body = read_manifest(path)
    if edit is not None:
        new = edit(body)
        body = new.body if isinstance(new, Replace) else body
    with open(path, "wb") as f:
        f.write(manifest.dumps(format or header["format"], version or header["version"], body))


def npz(members: dict) -> bytes:
    """An .npz whose members have exactly the given names (value: array or raw bytes)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, value in members.items():
            if isinstance(value, np.ndarray):
                item = io.BytesIO()
                np.save(item, value, allow_pickle=value.dtype == object)
                value = item.getvalue()
            archive.writestr(name, value)
    return buffer.getvalue()


def replace_bundle_data(prefix, data: bytes):
    """Swap a bundle's data file and re-seal its index, so that only the data's content is wrong."""
    with open(f"{prefix}.data-00000-of-00001", "wb") as f:
        f.write(data)
    rewrite_manifest(f"{prefix}.index", _set(lambda b: b, "data_sha256", manifest.sha256(data)))


def reseal_saved_model(directory):
    """Recompute the sha256 of every file the SavedModel's manifest lists."""
    def edit(body):
        for relative in body["files"]:
            path = os.path.join(directory, relative)
            if os.path.isfile(path):
                body["files"][relative] = manifest.sha256(open(path, "rb").read())
    rewrite_manifest(os.path.join(directory, "saved_model.json"), edit)


class _MakesADirectory:
    """Unpickling this runs os.mkdir(path): the pickle tests check that it never happens."""

    def __init__(self, path):
        self.path = path

    def __reduce__(self):
        return os.mkdir, (self.path,)


def pickled(sentinel) -> np.ndarray:
    return np.array([_MakesADirectory(str(sentinel)), None], dtype=object)


@contextlib.contextmanager
def raises_naming(error_type, path, problem):
    """pytest.raises for `error_type` whose message names `path` and matches `problem`."""
    with pytest.raises(error_type) as info:
        yield info
    message = str(info.value)
    assert os.fspath(path) in message, f"{message!r} does not name {path}"
    assert re.search(problem, message), f"{message!r} does not say {problem!r}"


# --- the artifacts, made once ---------------------------------------------------------------------

class Tiny(tf.Module):
    def __init__(self, b_shape=()):
        super().__init__()
        self.a = tf.Variable([1.0, 2.0])
        self.b = tf.Variable(np.full(b_shape, 3.0, np.float32))

    @tf.function(input_signature=[tf.TensorSpec([2], tf.float32)])
    def __call__(self, x):
        return x * self.a + self.b


@pytest.fixture(scope="module")
def originals(tmp_path_factory):
    root = tmp_path_factory.mktemp("originals")
    tiny = Tiny()
    tiny.a.assign([5.0, 6.0])
    tf.saved_model.save(tiny, str(root / "sm"))
    tf.train.Checkpoint(m=tiny).save(str(root / "ck" / "ckpt"))
    with v1.Graph().as_default():
        v1.Variable([1.0, 2.0], name="s1"), v1.Variable([3.0, 4.0], name="s2")
        saver = v1.train.Saver()
        with v1.Session() as sess:
            sess.run(v1.global_variables_initializer())
            saver.save(sess, str(root / "v1" / "model.ckpt"))
    return root


@pytest.fixture
def saved_model(originals, tmp_path):
    return str(shutil.copytree(originals / "sm", tmp_path / "sm"))


@pytest.fixture
def ckpt_dir(originals, tmp_path):
    return str(shutil.copytree(originals / "ck", tmp_path / "ck"))


@pytest.fixture
def saver_prefix(originals, tmp_path):
    return os.path.join(shutil.copytree(originals / "v1", tmp_path / "v1"), "model.ckpt")


# --- SavedModel -----------------------------------------------------------------------------------

def test_an_undamaged_copy_loads(saved_model):
    loaded = tf.saved_model.load(saved_model)
    np.testing.assert_allclose(loaded(tf.constant([1.0, 1.0])).numpy(), [8.0, 9.0])


@pytest.mark.parametrize("how", DAMAGES)
@pytest.mark.parametrize("relative", SAVED_MODEL_FILES)
def test_saved_model_refuses_a_damaged_file(saved_model, relative, how):
    path = os.path.join(saved_model, relative)
    damage(path, how)
    with raises_naming(DataLoss, path, DAMAGED):
        tf.saved_model.load(saved_model)


@pytest.mark.parametrize("relative", SAVED_MODEL_FILES)
def test_saved_model_refuses_a_missing_file(saved_model, relative):
    path = os.path.join(saved_model, relative)
    os.remove(path)
    if relative == "saved_model.json":
        with raises_naming(OSError, saved_model, "SavedModel file does not exist"):
            tf.saved_model.load(saved_model)
    else:
        with raises_naming(DataLoss, path, "missing"):
            tf.saved_model.load(saved_model)


def test_saved_model_refuses_another_version_or_format(saved_model):
    path = os.path.join(saved_model, "saved_model.json")
    rewrite_manifest(path, version=99)
    with raises_naming(ValueError, path, "version 99"):
        tf.saved_model.load(saved_model)
    rewrite_manifest(path, version=1, format=BUNDLE_FORMAT)
    with raises_naming(DataLoss, path, f"is a '{BUNDLE_FORMAT}' file, expected '{SAVED_MODEL_FORMAT}'"):
        tf.saved_model.load(saved_model)


def test_saved_model_refuses_variables_of_another_version(saved_model):
    path = os.path.join(saved_model, "variables", "variables.index")
    rewrite_manifest(path, version=99)
    reseal_saved_model(saved_model)
    with raises_naming(ValueError, path, "version 99"):
        tf.saved_model.load(saved_model)


def _node(kind):
    return lambda body: next(n for n in body["object_graph"] if n["kind"] == kind)


_function = lambda body: body["concrete_functions"][0]  # noqa: E731
MALFORMED_SAVED_MODELS = {
    "body is a list": lambda body: Replace([body]),
    "files is a list": _set(lambda b: b, "files", ["functions/0.ir"]),
    "edge out of range": lambda body: body["object_graph"][0]["children"].append(["x", 99]),
    "edge of three": lambda body: body["object_graph"][0]["children"].append(["x", 1, 2]),
    "attribute __class__": lambda body: body["object_graph"][0]["children"].append(["__class__", 1]),
    "node not a dict": lambda body: body["object_graph"].append([]),
    "unknown kind": _set(_node("variable"), "kind", "lambda"),
    "variable without a value": _set(_node("variable"), "key", "nope/.ATTRIBUTES/VARIABLE_VALUE"),
    "function out of range": _set(_node("function"), "concrete_functions", [7]),
    "signature out of range": _set(lambda b: b["signatures"]["serving_default"], "concrete", 5),
    "capture not a variable": _set(_function, "captures", [{"node": 0}, {"node": 2}]),
    "capture out of range": _set(_function, "captures", [{"node": 1}, {"state": 3}]),
    "result not a number": _set(_function, "out_leaves", [{"result": "x"}]),
    "shape not numbers": _set(_function, "outputs", {"tensor": {"shape": ["x"], "dtype": "float32"}}),
    "dtype unknown": _set(_function, "outputs", {"tensor": {"shape": [2], "dtype": "no_such_type"}}),
    "constants slice not a pair": _set(_function, "constants", [0, 0, 0]),
    "constants not a list": _set(lambda b: b, "constants", "x"),
    "input signature malformed": _set(_node("function"), "input_signature", {"list": [{"bad": 1}]}),
    "parameter kind unknown": _set(_node("function"), "parameters", [{"name": "x", "kind": "__class__"}]),
    "parameter name not a name": _set(_node("function"), "parameters", [{"name": 3, "kind": "VAR_KEYWORD"}]),
    "dict keys malformed": lambda body: body["object_graph"].append({"kind": "dict", "children": [],
                                                                      "keys": [1]}),
}


@pytest.mark.parametrize("edit", MALFORMED_SAVED_MODELS.values(), ids=MALFORMED_SAVED_MODELS)
def test_saved_model_refuses_a_sealed_but_malformed_manifest(saved_model, edit):
    path = os.path.join(saved_model, "saved_model.json")
    rewrite_manifest(path, edit)
    with raises_naming(DataLoss, path, "malformed|unknown|refers|not|no value|holds"):
        tf.saved_model.load(saved_model)


def test_saved_model_refuses_an_ir_file_naming_a_file_it_does_not_list(saved_model):
    shutil.copy(os.path.join(saved_model, "functions", "0.ir"), os.path.join(saved_model, "functions", "1.ir"))
    rewrite_manifest(os.path.join(saved_model, "saved_model.json"),
                     _set(_function, "ir", "functions/1.ir"))
    with raises_naming(DataLoss, os.path.join(saved_model, "saved_model.json"),
                       "does not list the file 'functions/1.ir'"):
        tf.saved_model.load(saved_model)


SENTINEL = "tfx_lite_load_safety_sentinel"
BAD_IR = {
    "not IR": lambda ir: "this is not IR\n",
    "not UTF-8": lambda ir: ir.encode().replace(b"mul", b"m\xffl"),
    "cut in the middle": lambda ir: ir[:len(ir) // 2],
    "unknown op": lambda ir: ir.replace("mul(", "system("),
    "wrong type": lambda ir: ir.replace(": f32[2]\n", ": f32[3]\n", 1),
    "undefined value": lambda ir: ir.replace("mul(%x,", "mul(%nowhere,"),
    "import in an attribute": lambda ir: ir.replace(
        "mul(%x, %Variable)", f"mul(%x, %Variable) {{evil=__import__('os').mkdir({SENTINEL!r})}}"),
    "call in an attribute": lambda ir: ir.replace(
        "mul(%x, %Variable)", f"mul(%x, %Variable) {{evil=np.float32(__import__('os').mkdir({SENTINEL!r}))}}"),
    "numpy function in an attribute": lambda ir: ir.replace(
        "mul(%x, %Variable)", f"mul(%x, %Variable) {{evil=np.save({SENTINEL!r}, 1)}}"),
    "array of a call": lambda ir: ir.replace(
        "mul(%x, %Variable)", f"mul(%x, %Variable) {{evil=array(open({SENTINEL!r}, 'w'), float32)}}"),
    "dunder walk": lambda ir: ir.replace(
        "mul(%x, %Variable)", "mul(%x, %Variable) {evil=().__class__.__base__.__subclasses__()}"),
}


@pytest.mark.parametrize("change", BAD_IR.values(), ids=BAD_IR)
def test_saved_model_refuses_sealed_ir_that_does_not_parse_and_runs_none_of_it(saved_model, change,
                                                                                 monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    path = os.path.join(saved_model, "functions", "0.ir")
    changed = change(open(path).read())
    with open(path, "wb") as f:
        f.write(changed if isinstance(changed, bytes) else changed.encode())
    reseal_saved_model(saved_model)
    with raises_naming(DataLoss, path, "not valid IR"):
        tf.saved_model.load(saved_model)
    assert not os.path.exists(SENTINEL)


def test_the_parser_refuses_code_in_attributes_without_running_it(saved_model, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    text = open(os.path.join(saved_model, "functions", "0.ir")).read()
    with pytest.raises(IRParseError, match="unsupported attribute value"):
        parse_program(BAD_IR["import in an attribute"](text), [])
    assert not os.path.exists(SENTINEL)


def test_saved_model_refuses_ir_whose_parameters_do_not_match_its_entry(saved_model):
    path = os.path.join(saved_model, "functions", "0.ir")
    text = open(path).read().replace(", %Variable_: f32[]", "").replace("%Variable_", "%Variable")
    with open(path, "w") as f:
        f.write(text.replace("f32[])", "f32[2])"))
    reseal_saved_model(saved_model)
    with raises_naming(DataLoss, os.path.join(saved_model, "saved_model.json"), "parameters|not valid IR"):
        tf.saved_model.load(saved_model)


@pytest.mark.parametrize("relative", ["../outside.ir", "functions/../../outside.ir", "/abs/outside.ir",
                                      "functions\\..\\..\\outside.ir", "functions/0.ir/..", ""])
@pytest.mark.parametrize("where", ["files", "ir"])
def test_saved_model_refuses_paths_that_leave_the_directory(saved_model, relative, where):
    outside = os.path.join(os.path.dirname(saved_model), "outside.ir")
    shutil.copy(os.path.join(saved_model, "functions", "0.ir"), outside)
    sha = manifest.sha256(open(outside, "rb").read())

    def edit(body):
        body["files"][relative] = sha
        if where == "ir":
            body["concrete_functions"][0]["ir"] = relative
    path = os.path.join(saved_model, "saved_model.json")
    rewrite_manifest(path, edit)
    with raises_naming(DataLoss, path, "unexpected or unsafe file path"):
        tf.saved_model.load(saved_model)


@pytest.mark.parametrize("link", ["functions/0.ir", "variables"])
def test_saved_model_refuses_a_link_that_leaves_the_directory(saved_model, link):
    target = os.path.join(saved_model, link)
    outside = os.path.join(os.path.dirname(saved_model), "outside")
    shutil.move(target, outside)  # the same bytes, so every checksum still matches
    os.symlink(outside, target)
    with raises_naming(DataLoss, saved_model, "resolves outside the SavedModel directory"):
        tf.saved_model.load(saved_model)


def test_a_saved_model_reached_through_a_link_loads(saved_model, tmp_path):
    os.symlink(saved_model, tmp_path / "link")
    np.testing.assert_allclose(tf.saved_model.load(str(tmp_path / "link"))(tf.constant([0.0, 0.0])).numpy(),
                               [3.0, 3.0])


@pytest.mark.parametrize("member", ["../../evil.npy", "a/b.npy", "/abs.npy", "0.npy/../1.npy", "0"])
def test_saved_model_refuses_an_npz_member_of_another_name(saved_model, member):
    path = os.path.join(saved_model, "functions", "constants.npz")
    with open(path, "wb") as f:
        f.write(npz({member: np.zeros(2, np.float32)}))
    reseal_saved_model(saved_model)
    with raises_naming(DataLoss, path, "unexpected member"):
        tf.saved_model.load(saved_model)


def test_saved_model_refuses_pickled_variables_without_unpickling(saved_model, tmp_path):
    prefix = os.path.join(saved_model, "variables", "variables")
    replace_bundle_data(prefix, npz({"0.npy": pickled(tmp_path / "pwned"), "1.npy": np.zeros((), np.float32)}))
    reseal_saved_model(saved_model)
    with raises_naming(DataLoss, f"{prefix}.data-00000-of-00001", "not readable"):
        tf.saved_model.load(saved_model)
    assert not os.path.exists(tmp_path / "pwned")


# --- tf.train.Checkpoint and its readers --------------------------------------------------------

def _read(prefix):
    return tf.train.Checkpoint(m=Tiny()).read(prefix)


def _restore(prefix):
    return tf.train.Checkpoint(m=Tiny()).restore(prefix)


CHECKPOINT_LOADERS = {"read": _read, "restore": _restore, "load_checkpoint": tf.train.load_checkpoint,
                      "list_variables": tf.train.list_variables}
checkpoint_loaders = pytest.mark.parametrize("load", CHECKPOINT_LOADERS.values(), ids=CHECKPOINT_LOADERS)
BUNDLE_FILES = {"index": ".index", "data": ".data-00000-of-00001"}


def test_an_undamaged_checkpoint_restores(ckpt_dir):
    live = Tiny()
    tf.train.Checkpoint(m=live).restore(os.path.join(ckpt_dir, "ckpt-1")).assert_consumed()
    np.testing.assert_allclose(live.a.numpy(), [5.0, 6.0])


@checkpoint_loaders
@pytest.mark.parametrize("how", DAMAGES)
@pytest.mark.parametrize("suffix", BUNDLE_FILES.values(), ids=BUNDLE_FILES)
def test_checkpoint_loaders_refuse_a_damaged_file(ckpt_dir, load, suffix, how):
    prefix = os.path.join(ckpt_dir, "ckpt-1")
    damage(prefix + suffix, how)
    with raises_naming(DataLoss, prefix + suffix, DAMAGED):
        load(prefix)


@checkpoint_loaders
def test_checkpoint_loaders_refuse_another_version_or_format(ckpt_dir, load):
    prefix = os.path.join(ckpt_dir, "ckpt-1")
    rewrite_manifest(prefix + ".index", version=99)
    with raises_naming(ValueError, prefix + ".index", "version 99"):
        load(prefix)
    rewrite_manifest(prefix + ".index", version=1, format=SAVED_MODEL_FORMAT)
    with raises_naming(DataLoss, prefix + ".index", f"is a '{SAVED_MODEL_FORMAT}' file"):
        load(prefix)


@checkpoint_loaders
def test_checkpoint_loaders_refuse_a_missing_file(ckpt_dir, load):
    prefix = os.path.join(ckpt_dir, "ckpt-1")
    os.remove(prefix + ".data-00000-of-00001")
    with raises_naming(DataLoss, prefix + ".data-00000-of-00001", "missing"):
        load(prefix)
    os.remove(prefix + ".index")
    with raises_naming(tf.errors.NotFoundError, prefix, "Failed to find any matching files"):
        load(prefix)


def _key(i):
    return lambda body: body["keys"][i]


MALFORMED_INDEXES = {
    "body is a list": (lambda body: Replace([body]), "key list is malformed"),
    "keys not a list": (_set(lambda b: b, "keys", {"a": 1}), "key list is malformed"),
    "key not a string": (_set(_key(1), "key", 7), "key list is malformed"),
    "shape not a list": (_set(_key(1), "shape", 2), "key list is malformed"),
    "dtype unknown": (_set(_key(1), "dtype", "no_such_type"), "unknown dtype"),
    "dtype object": (_set(_key(1), "dtype", "object"), "unknown dtype|is float32"),
    "dtype other": (_set(_key(1), "dtype", "int64"), "is float32, its manifest says int64"),
    "shape other": (_set(_key(1), "shape", [3]), r"has shape \[2\], its manifest says \[3\]"),
    "shape of strings": (_set(_key(1), "shape", ["2"]), r"its manifest says \['2'\]"),
    "a key less": (lambda body: body["keys"].pop(), r"unexpected member '2\.npy'"),
    "a key more": (lambda body: body["keys"].append(dict(body["keys"][0], key="extra")), "lists 4"),
    "no data checksum": (lambda body: body.pop("data_sha256"), "checksum mismatch"),
}


@checkpoint_loaders
@pytest.mark.parametrize("edit, problem", MALFORMED_INDEXES.values(), ids=MALFORMED_INDEXES)
def test_checkpoint_loaders_refuse_a_sealed_but_malformed_index(ckpt_dir, load, edit, problem):
    prefix = os.path.join(ckpt_dir, "ckpt-1")
    rewrite_manifest(prefix + ".index", edit)
    with raises_naming(DataLoss, prefix, problem):
        load(prefix)


MALFORMED_GRAPHS = {
    "no graph": lambda body: body.pop("object_graph"),
    "graph empty": _set(lambda b: b, "object_graph", []),
    "node not a dict": lambda body: body["object_graph"].append(3),
    "edge out of range": lambda body: body["object_graph"][0]["children"].append(["x", 99]),
    "edge of three": lambda body: body["object_graph"][0]["children"].append(["x", 1, 2]),
    "edge name not a string": lambda body: body["object_graph"][0]["children"].append([1, 1]),
    "key not a string": _set(lambda b: b["object_graph"][3], "key", ["m", "a"]),
}


@pytest.mark.parametrize("load", [_read, _restore], ids=["read", "restore"])
@pytest.mark.parametrize("edit", MALFORMED_GRAPHS.values(), ids=MALFORMED_GRAPHS)
def test_checkpoint_restore_refuses_a_malformed_object_graph(ckpt_dir, load, edit):
    prefix = os.path.join(ckpt_dir, "ckpt-1")
    rewrite_manifest(prefix + ".index", edit)
    with raises_naming(DataLoss, prefix + ".index", "object graph"):
        load(prefix)


@checkpoint_loaders
@pytest.mark.parametrize("member", ["../../evil.npy", "a/b.npy", "/1.npy", "1"])
def test_checkpoint_loaders_refuse_an_npz_member_of_another_name(ckpt_dir, load, member):
    prefix = os.path.join(ckpt_dir, "ckpt-1")
    replace_bundle_data(prefix, npz({"0.npy": np.array(1, np.int64), member: np.zeros(2, np.float32),
                                     "2.npy": np.array(3, np.float32)}))
    with raises_naming(DataLoss, prefix + ".data-00000-of-00001", f"unexpected member {re.escape(repr(member))}"):
        load(prefix)


@checkpoint_loaders
def test_checkpoint_loaders_refuse_a_pickle_without_unpickling_it(ckpt_dir, load, tmp_path):
    prefix = os.path.join(ckpt_dir, "ckpt-1")
    replace_bundle_data(prefix, npz({"0.npy": np.array(1, np.int64), "1.npy": pickled(tmp_path / "pwned"),
                                     "2.npy": np.array(3, np.float32)}))
    with raises_naming(DataLoss, prefix + ".data-00000-of-00001", "not readable.*allow_pickle"):
        load(prefix)
    assert not os.path.exists(tmp_path / "pwned")


@checkpoint_loaders
@pytest.mark.parametrize("where", ["first", "middle"])
def test_checkpoint_loaders_refuse_data_flipped_past_its_checksum(ckpt_dir, load, where):
    """The index's data_sha256 re-sealed over a flipped bit: the archive's own CRCs catch it."""
    prefix = os.path.join(ckpt_dir, "ckpt-1")
    data = bytearray(open(prefix + ".data-00000-of-00001", "rb").read())
    position = {"first": 0, "middle": len(data) // 2}[where]
    data[position] ^= 0x08
    replace_bundle_data(prefix, bytes(data))
    with raises_naming(DataLoss, prefix + ".data-00000-of-00001", "not a readable|not readable|unexpected"):
        load(prefix)


def test_a_failed_restore_assigns_nothing(ckpt_dir):
    prefix = os.path.join(ckpt_dir, "ckpt-1")
    live = Tiny(b_shape=(3,))  # `a` matches the checkpoint, `b` does not
    live.a.assign([-1.0, -1.0])
    with pytest.raises(ValueError, match="incompatible tensor with shape"):
        tf.train.Checkpoint(m=live).restore(prefix)
    np.testing.assert_array_equal(live.a.numpy(), [-1.0, -1.0])
    np.testing.assert_array_equal(live.b.numpy(), [3.0, 3.0, 3.0])

    live = Tiny()
    live.a.assign([-1.0, -1.0])  # the data's `a` is readable, its last array (`b`) has another shape
    replace_bundle_data(prefix, npz({"0.npy": np.array(1, np.int64), "1.npy": np.array([7.0, 7.0], np.float32),
                                     "2.npy": np.zeros(5, np.float32)}))
    with raises_naming(DataLoss, prefix + ".data-00000-of-00001", r"array 2 has shape \[5\]"):
        tf.train.Checkpoint(m=live).restore(prefix)
    np.testing.assert_array_equal(live.a.numpy(), [-1.0, -1.0])
    np.testing.assert_array_equal(live.b.numpy(), 3.0)


# --- the `checkpoint` state file --------------------------------------------------------------

STATE_READERS = {
    "latest_checkpoint": tf.train.latest_checkpoint,
    "get_checkpoint_state": tf.train.get_checkpoint_state,
    "CheckpointManager": lambda d: tf.train.CheckpointManager(tf.train.Checkpoint(m=Tiny()), d, max_to_keep=2),
    "restore(directory)": _restore,
    "list_variables(directory)": tf.train.list_variables,
}
STATE_DAMAGES = {
    "half": lambda text: text[:len(text) // 2],
    "empty": lambda text: b"",
    "flip": lambda text: text[:len(text) // 2] + bytes([text[len(text) // 2] ^ 0x08]) + text[len(text) // 2 + 1:],
    "binary": lambda text: b"\x80\xff" + text,
    "unknown field": lambda text: text + b"exec: \"__import__('os')\"\n",
    "unquoted path": lambda text: text.replace(b'"', b""),
    "number as path": lambda text: b"model_checkpoint_path: 3\n",
    "path as number": lambda text: text + b'all_model_checkpoint_timestamps: "x"\n',
    "no latest": lambda text: text.replace(b"model_checkpoint_path", b"all_model_checkpoint_paths", 1),
}


@pytest.mark.parametrize("how", STATE_DAMAGES.values(), ids=STATE_DAMAGES)
@pytest.mark.parametrize("read", STATE_READERS.values(), ids=STATE_READERS)
def test_state_file_readers_refuse_a_damaged_state_file(ckpt_dir, read, how):
    path = os.path.join(ckpt_dir, "checkpoint")
    text = open(path, "rb").read()
    with open(path, "wb") as f:
        f.write(how(text))
    with raises_naming(DataLoss, path, "checkpoint state|not text|malformed|wrong kind|names no"):
        read(ckpt_dir)


def test_an_undamaged_state_file_reads(ckpt_dir):
    assert tf.train.latest_checkpoint(ckpt_dir) == os.path.join(ckpt_dir, "ckpt-1")
    manager = tf.train.CheckpointManager(tf.train.Checkpoint(m=Tiny()), ckpt_dir, max_to_keep=2)
    assert manager.latest_checkpoint == os.path.join(ckpt_dir, "ckpt-1")


# --- compat.v1 Saver ------------------------------------------------------------------------------

def _saver_restore(prefix, s2_value=(0.0, 0.0)):
    """Restore into a fresh graph's s1 and s2; (s1, s2) after the attempt, and the error if any."""
    with v1.Graph().as_default():
        s1, s2 = v1.Variable([-1.0, -1.0], name="s1"), v1.Variable(list(s2_value), name="s2")
        saver = v1.train.Saver()
        with v1.Session() as sess:
            sess.run(v1.global_variables_initializer())
            error = None
            try:
                saver.restore(sess, prefix)
            except Exception as err:  # noqa: BLE001  (returned for the test to check)
                error = err
            return sess.run(s1), sess.run(s2), error


def _saver_raises(prefix, error_type, path, problem):
    s1, _, error = _saver_restore(prefix)
    with raises_naming(error_type, path, problem):
        if error is not None:
            raise error
    np.testing.assert_array_equal(s1, [-1.0, -1.0])


def test_an_undamaged_saver_checkpoint_restores(saver_prefix):
    s1, s2, error = _saver_restore(saver_prefix)
    assert error is None
    np.testing.assert_array_equal(s1, [1.0, 2.0])
    np.testing.assert_array_equal(s2, [3.0, 4.0])


@pytest.mark.parametrize("how", DAMAGES)
@pytest.mark.parametrize("suffix", BUNDLE_FILES.values(), ids=BUNDLE_FILES)
def test_saver_refuses_a_damaged_file(saver_prefix, suffix, how):
    damage(saver_prefix + suffix, how)
    _saver_raises(saver_prefix, DataLoss, saver_prefix + suffix, DAMAGED)


def test_saver_refuses_another_version_format_or_a_missing_file(saver_prefix):
    index = saver_prefix + ".index"
    rewrite_manifest(index, version=99)
    _saver_raises(saver_prefix, ValueError, index, "version 99")
    rewrite_manifest(index, version=1, format=SAVED_MODEL_FORMAT)
    _saver_raises(saver_prefix, DataLoss, index, f"is a '{SAVED_MODEL_FORMAT}' file")
    rewrite_manifest(index, format=BUNDLE_FORMAT)
    os.remove(saver_prefix + ".data-00000-of-00001")
    _saver_raises(saver_prefix, DataLoss, saver_prefix + ".data-00000-of-00001", "missing")
    os.remove(index)
    _saver_raises(saver_prefix, ValueError, saver_prefix, "not a valid checkpoint")


@pytest.mark.parametrize("member", ["../../evil.npy", "a/b.npy"])
def test_saver_refuses_an_npz_member_of_another_name(saver_prefix, member):
    replace_bundle_data(saver_prefix, npz({"0.npy": np.zeros(2, np.float32), member: np.zeros(2, np.float32)}))
    _saver_raises(saver_prefix, DataLoss, saver_prefix + ".data-00000-of-00001", "unexpected member")


def test_saver_refuses_a_pickle_without_unpickling_it(saver_prefix, tmp_path):
    replace_bundle_data(saver_prefix, npz({"0.npy": np.zeros(2, np.float32), "1.npy": pickled(tmp_path / "pwned")}))
    _saver_raises(saver_prefix, DataLoss, saver_prefix + ".data-00000-of-00001", "not readable")
    assert not os.path.exists(tmp_path / "pwned")


def test_a_failed_saver_restore_assigns_nothing(saver_prefix):
    s1, s2, error = _saver_restore(saver_prefix, s2_value=(0.0, 0.0, 0.0))  # s2's shape differs
    assert isinstance(error, tf.errors.InvalidArgumentError) and "tensor_name = s2" in str(error)
    np.testing.assert_array_equal(s1, [-1.0, -1.0])
    np.testing.assert_array_equal(s2, [0.0, 0.0, 0.0])


def test_a_saver_restore_of_another_dtype_assigns_nothing(saver_prefix):
    with v1.Graph().as_default():
        s1, _ = v1.Variable([-1.0, -1.0], name="s1"), v1.Variable([0, 0], name="s2")  # s2 int32 now
        with v1.Session() as sess:
            sess.run(v1.global_variables_initializer())
            with pytest.raises(tf.errors.InvalidArgumentError, match="tensor_name = s2; expected dtype int32"):
                v1.train.Saver().restore(sess, saver_prefix)
            np.testing.assert_array_equal(sess.run(s1), [-1.0, -1.0])


def test_a_member_that_unpacks_to_more_than_its_array_is_refused():
    from tfx_lite.saving import arrays_file
    buffer = io.BytesIO()
    np.savez_compressed(buffer, **{"0": np.zeros(4_000_000, np.float32)})  # 16 MB from ~16 kB
    data = buffer.getvalue()
    with raises_naming(DataLoss, "bomb.npz", r"unpacks to 16000128 bytes, more than its array \(4 bytes\)"):
        arrays_file.loads(data, "bomb.npz", [{"dtype": "float32", "shape": [1]}], manifest.sha256(data))


# --- Keras: load_model and load_weights -------------------------------------------------------

keras = tf.keras
WEIGHTS_INDEX, WEIGHTS_DATA = "model.weights.index", "model.weights.data-00000-of-00001"


def _tiny_keras():
    return keras.Sequential([keras.Input(shape=(3,)), keras.layers.Dense(2)])


@pytest.fixture(scope="module")
def keras_originals(tmp_path_factory):
    root = tmp_path_factory.mktemp("keras")
    model = _tiny_keras()
    model.save(root / "m.keras")
    model.save_weights(root / "w.weights.h5")
    return root


def _zeroed():
    model = _tiny_keras()
    model.set_weights([np.zeros((3, 2), np.float32), np.zeros(2, np.float32)])
    return model


def _load_model(path):
    keras.models.load_model(path)


def _load_weights(path):
    model = _zeroed()
    try:
        model.load_weights(path)
    finally:  # a failed load leaves the weights as they were
        for weight in model.get_weights():
            np.testing.assert_array_equal(weight, 0.0)


KERAS_LOADERS = {"load_model": ("m.keras", _load_model), "load_weights": ("w.weights.h5", _load_weights)}
keras_loaders = pytest.mark.parametrize("name, load", KERAS_LOADERS.values(), ids=KERAS_LOADERS)


def rezip(path, edit):
    """Rewrite the zip at `path` with `edit(members)` applied to its {name: bytes}."""
    with zipfile.ZipFile(path) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    edit(members)
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)


def _rebundle(members, data=None, version=None):
    """Replace the archive's weights data (re-sealing its index) or re-seal the index with `version`."""
    header, body = json.loads(members[WEIGHTS_INDEX].partition(b"\n")[0]), \
        json.loads(members[WEIGHTS_INDEX].partition(b"\n")[2])
    if data is not None:
        members[WEIGHTS_DATA] = data
        body["data_sha256"] = manifest.sha256(data)
    members[WEIGHTS_INDEX] = manifest.dumps(header["format"], version or header["version"], body)


KERAS_ZIP_EDITS = {
    "member ../evil": (lambda m: m.update({"../evil": b"x"}), ValueError, r"unexpected member '\.\./evil'"),
    "member /abs": (lambda m: m.update({"/abs": b"x"}), ValueError, "unexpected member"),
    "member a/b": (lambda m: m.update({"a/b": b"x"}), ValueError, "unexpected member"),
    "index missing": (lambda m: m.pop(WEIGHTS_INDEX) and None, ValueError, "missing"),
    "data missing": (lambda m: m.pop(WEIGHTS_DATA) and None, ValueError, "missing"),
    "index cut": (lambda m: m.update({WEIGHTS_INDEX: m[WEIGHTS_INDEX][:40]}), DataLoss, DAMAGED),
    "data cut": (lambda m: m.update({WEIGHTS_DATA: m[WEIGHTS_DATA][:40]}), DataLoss, DAMAGED),
    "index version 99": (lambda m: _rebundle(m, version=99), ValueError, "version 99"),
    "npz member ../../evil.npy": (lambda m: _rebundle(m, npz({"0.npy": np.zeros((3, 2), np.float32),
                                                               "../../evil.npy": np.zeros(2, np.float32)})),
                                  DataLoss, r"unexpected member '\.\./\.\./evil\.npy'"),
    "pickled weights": (lambda m: _rebundle(m, npz({"0.npy": pickled(SENTINEL), "1.npy": np.zeros(2, np.float32)})),
                        DataLoss, "not readable"),
}


@keras_loaders
@pytest.mark.parametrize("how", DAMAGES)
def test_keras_loaders_refuse_a_damaged_file(keras_originals, tmp_path, name, load, how):
    path = shutil.copy(keras_originals / name, tmp_path / name)
    damage(path, how)
    with raises_naming((ValueError, DataLoss), path, "not a zip|corrupt|checksum|not valid JSON|not a tfx_lite"):
        load(path)


@keras_loaders
@pytest.mark.parametrize("edit, error, problem", KERAS_ZIP_EDITS.values(), ids=KERAS_ZIP_EDITS)
def test_keras_loaders_refuse_an_archive_with_bad_members(keras_originals, tmp_path, monkeypatch, name, load,
                                                          edit, error, problem):
    monkeypatch.chdir(tmp_path)
    path = shutil.copy(keras_originals / name, tmp_path / name)
    rezip(path, edit)
    with raises_naming(error, path, problem):
        load(path)
    assert not os.path.exists(SENTINEL)


def test_keras_load_model_refuses_a_bad_config_or_format(keras_originals, tmp_path):
    path = shutil.copy(keras_originals / "m.keras", tmp_path / "m.keras")
    rezip(path, lambda m: m.update({"config.json": b'{"class_name": '}))
    with raises_naming(ValueError, path, "config.json is not valid JSON"):
        keras.models.load_model(path)
    rezip(path, lambda m: m.update({"metadata.json": json.dumps({"format": "tfx_lite-keras-99"}).encode()}))
    with raises_naming(ValueError, path, "written in format 'tfx_lite-keras-99'"):
        keras.models.load_model(path)


@keras_loaders
def test_keras_loaders_refuse_a_missing_file(tmp_path, name, load):
    with raises_naming(FileNotFoundError, tmp_path / name, "No such file"):
        load(tmp_path / name)
