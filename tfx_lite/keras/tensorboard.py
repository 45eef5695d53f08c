"""keras.callbacks.TensorBoard and a minimal TensorBoard event-file writer (and reader).

Event files are TFRecord files of `tensorflow.Event` protocol buffers, encoded here by hand:
each record is `uint64 length | masked crc32c(length) | data | masked crc32c(data)` (little
endian). The first event carries `file_version = "brain.Event:2"`; the others a `Summary` of
`Value{tag, simple_value}` scalars (or `Value{tag, histo}` weight histograms)."""
from __future__ import annotations

import itertools
import os
import socket
import struct
import time

import numpy as np

from tfx_lite.keras.callbacks import Callback

__all__ = ["TensorBoard", "EventFileWriter", "read_events", "crc32c"]

# --- CRC-32C (Castagnoli), table driven ---------------------------------------------------------

def _crc_table():
    table = []
    for n in range(256):
        crc = n
        for _ in range(8):
            crc = (crc >> 1) ^ 0x82F63B78 if crc & 1 else crc >> 1
        table.append(crc)
    return tuple(table)


_CRC_TABLE = _crc_table()


def crc32c(data: bytes) -> int:
    crc = 0xFFFFFFFF
    table = _CRC_TABLE
    for byte in data:
        crc = table[(crc ^ byte) & 0xFF] ^ (crc >> 8)
    return crc ^ 0xFFFFFFFF


def _masked_crc(data: bytes) -> int:
    crc = crc32c(data)
    return (((crc >> 15) | (crc << 17)) + 0xA282EAD8) & 0xFFFFFFFF


def _record(data: bytes) -> bytes:
    header = struct.pack("<Q", len(data))
    return header + struct.pack("<I", _masked_crc(header)) + data + struct.pack("<I", _masked_crc(data))


# --- protobuf wire format ------------------------------------------------------------------------

def _varint(value: int) -> bytes:
    value &= 0xFFFFFFFFFFFFFFFF  # negative int64s are ten-byte two's complement varints
    out = bytearray()
    while True:
        bits = value & 0x7F
        value >>= 7
        if value:
            out.append(bits | 0x80)
        else:
            out.append(bits)
            return bytes(out)


def _key(field, wire_type):
    return _varint((field << 3) | wire_type)


def _bytes_field(field, data: bytes) -> bytes:
    return _key(field, 2) + _varint(len(data)) + data


def _double_field(field, value) -> bytes:
    return _key(field, 1) + struct.pack("<d", float(value))


def _event(wall_time, step=None, file_version=None, summary=None) -> bytes:
    out = _double_field(1, wall_time)
    if step is not None:
        out += _key(2, 0) + _varint(int(step))
    if file_version is not None:
        out += _bytes_field(3, file_version.encode())
    if summary is not None:
        out += _bytes_field(5, summary)
    return out


def _scalar_value(tag, value) -> bytes:
    return (_bytes_field(1, tag.encode()) + _key(2, 5) + struct.pack("<f", float(value)))


def _histogram_value(tag, values) -> bytes:
    """Value{tag, histo: HistogramProto{min, max, num, sum, sum_squares, bucket_limit, bucket}}."""
    values = np.asarray(values, np.float64).reshape(-1)
    if values.size == 0:
        values = np.zeros(1)
    lo, hi = float(values.min()), float(values.max())
    edges = np.linspace(lo, hi if hi > lo else lo + 1.0, 31)
    counts, _ = np.histogram(values, bins=edges)
    histo = (_double_field(1, lo) + _double_field(2, hi) + _double_field(3, values.size)
             + _double_field(4, values.sum()) + _double_field(5, np.square(values).sum())
             + _bytes_field(6, struct.pack(f"<{len(edges) - 1}d", *edges[1:]))
             + _bytes_field(7, struct.pack(f"<{len(counts)}d", *counts.astype(np.float64))))
    return _bytes_field(1, tag.encode()) + _bytes_field(5, histo)


_counter = itertools.count()


class EventFileWriter:
    """Writes `events.out.tfevents.<time>.<host>.<pid>.<n>.v2` in `logdir` (made if missing)."""

    def __init__(self, logdir):
        os.makedirs(logdir, exist_ok=True)
        self.logdir = str(logdir)
        name = f"events.out.tfevents.{int(time.time())}.{socket.gethostname()}.{os.getpid()}.{next(_counter)}.v2"
        self.path = os.path.join(self.logdir, name)
        self._file = open(self.path, "wb")
        self._write(_event(time.time(), step=0, file_version="brain.Event:2"))
        self.flush()

    def _write(self, event: bytes):
        self._file.write(_record(event))

    def add_scalar(self, tag, value, step):
        self._write(_event(time.time(), step=step, summary=_bytes_field(1, _scalar_value(tag, value))))

    def add_scalars(self, values: dict, step):
        """Several scalars in one event (one Summary with a Value each)."""
        if values:
            summary = b"".join(_bytes_field(1, _scalar_value(t, v)) for t, v in values.items())
            self._write(_event(time.time(), step=step, summary=summary))

    def add_histogram(self, tag, values, step):
        self._write(_event(time.time(), step=step, summary=_bytes_field(1, _histogram_value(tag, values))))

    def flush(self):
        if not self._file.closed:
            self._file.flush()

    def close(self):
        if not self._file.closed:
            self._file.close()


# --- reading back (pure Python; for tests and tools) ---------------------------------------------

def _read_varint(data, pos):
    result = shift = 0
    while True:
        byte = data[pos]
        pos += 1
        result |= (byte & 0x7F) << shift
        shift += 7
        if not byte & 0x80:
            return result, pos


def _fields(data):
    """(field number, wire type, value) of a message; value is int, bytes, or raw 4/8 bytes."""
    pos = 0
    while pos < len(data):
        key, pos = _read_varint(data, pos)
        field, wire_type = key >> 3, key & 7
        if wire_type == 0:
            value, pos = _read_varint(data, pos)
        elif wire_type == 1:
            value, pos = data[pos:pos + 8], pos + 8
        elif wire_type == 2:
            length, pos = _read_varint(data, pos)
            value, pos = data[pos:pos + length], pos + length
        elif wire_type == 5:
            value, pos = data[pos:pos + 4], pos + 4
        else:
            raise ValueError(f"unsupported protobuf wire type {wire_type}")
        yield field, wire_type, value


def _decode_value(data):
    value = {}
    for field, wire_type, raw in _fields(data):
        if field == 1:
            value["tag"] = raw.decode()
        elif field == 2 and wire_type == 5:
            value["simple_value"] = struct.unpack("<f", raw)[0]
        elif field == 5:
            histo = {}
            for f, _, r in _fields(raw):
                if f in (1, 2, 3, 4, 5):
                    histo[("min", "max", "num", "sum", "sum_squares")[f - 1]] = struct.unpack("<d", r)[0]
                elif f in (6, 7):
                    histo["bucket_limit" if f == 6 else "bucket"] = list(struct.unpack(f"<{len(r) // 8}d", r))
            value["histo"] = histo
    return value


def _decode_event(data):
    event = {"wall_time": 0.0, "step": 0}
    for field, _, raw in _fields(data):
        if field == 1:
            event["wall_time"] = struct.unpack("<d", raw)[0]
        elif field == 2:
            event["step"] = raw - (1 << 64) if raw >= 1 << 63 else raw
        elif field == 3:
            event["file_version"] = raw.decode()
        elif field == 5:
            event["summary"] = [_decode_value(v) for f, _, v in _fields(raw) if f == 1]
    return event


def read_events(path):
    """Every Event in a TFRecord event file, as dicts; checks both CRCs of each record."""
    with open(path, "rb") as f:
        data = f.read()
    events, pos = [], 0
    while pos < len(data):
        header = data[pos:pos + 8]
        (length,) = struct.unpack("<Q", header)
        (header_crc,) = struct.unpack("<I", data[pos + 8:pos + 12])
        if header_crc != _masked_crc(header):
            raise ValueError(f"{path}: corrupt record length at byte {pos}")
        body = data[pos + 12:pos + 12 + length]
        (body_crc,) = struct.unpack("<I", data[pos + 12 + length:pos + 16 + length])
        if body_crc != _masked_crc(body):
            raise ValueError(f"{path}: corrupt record data at byte {pos}")
        events.append(_decode_event(body))
        pos += 16 + length
    return events


# --- the callback -------------------------------------------------------------------------------

class TensorBoard(Callback):
    """Scalars per epoch (`epoch_<name>`, with `epoch_learning_rate`) into `log_dir/train`, and the
    `val_` ones (without the prefix) into `log_dir/validation`; `batch_<name>` every `update_freq`
    batches when it is an integer or "batch"; weight histograms every `histogram_freq` epochs.
    No graphs, images, profiles or embeddings are written (those arguments are accepted)."""

    def __init__(self, log_dir="logs", histogram_freq=0, write_graph=True, write_images=False,
                 write_steps_per_second=False, update_freq="epoch", profile_batch=0,
                 embeddings_freq=0, embeddings_metadata=None):
        super().__init__()
        self.log_dir = os.fspath(log_dir)
        self.histogram_freq, self.write_graph, self.write_images = histogram_freq, write_graph, write_images
        self.write_steps_per_second = write_steps_per_second
        self.update_freq = 1 if update_freq == "batch" else update_freq
        self.profile_batch = profile_batch
        self.embeddings_freq, self.embeddings_metadata = embeddings_freq, embeddings_metadata
        self._writers = {}
        self._global_train_batch = 0
        self._train_dir = os.path.join(self.log_dir, "train")
        self._val_dir = os.path.join(self.log_dir, "validation")

    def _writer(self, which):
        if which not in self._writers:
            self._writers[which] = EventFileWriter(self._train_dir if which == "train" else self._val_dir)
        return self._writers[which]

    def on_train_begin(self, logs=None):
        self._global_train_batch = 0

    def on_epoch_begin(self, epoch, logs=None):
        self._epoch_start_time = time.time()
        self._epoch_start_batch = self._global_train_batch

    def on_train_batch_begin(self, batch, logs=None):
        self._global_train_batch += 1

    def on_train_batch_end(self, batch, logs=None):
        if self.update_freq == "epoch" or not isinstance(logs, dict):
            return
        if self._global_train_batch % self.update_freq == 0:
            writer = self._writer("train")
            for name, value in logs.items():
                writer.add_scalar(f"batch_{name}", float(np.asarray(value)), self._global_train_batch)

    def on_epoch_end(self, epoch, logs=None):
        logs = logs or {}
        if logs:
            train = {k: v for k, v in logs.items() if not k.startswith("val_")}
            val = {k[4:]: v for k, v in logs.items() if k.startswith("val_")}
            optimizer = getattr(self.model, "optimizer", None)
            if optimizer is not None and hasattr(optimizer, "learning_rate"):
                train.setdefault("learning_rate", float(np.asarray(optimizer.learning_rate)))
            if self.write_steps_per_second:
                elapsed = max(time.time() - self._epoch_start_time, 1e-9)
                train["steps_per_second"] = (self._global_train_batch - self._epoch_start_batch) / elapsed
            for which, values in (("train", train), ("val", val)):
                for name, value in values.items():
                    self._writer(which).add_scalar(f"epoch_{name}", float(np.asarray(value)), epoch)
        if self.histogram_freq and epoch % self.histogram_freq == 0:
            writer = self._writer("train")
            for layer in self.model.layers:
                for weight in layer.weights:
                    name = str(getattr(weight, "path", weight.name)).replace(":", "_")
                    writer.add_histogram(f"{name}/histogram", np.asarray(weight), epoch)
        for writer in self._writers.values():
            writer.flush()

    def on_train_end(self, logs=None):
        for writer in self._writers.values():
            writer.close()
        self._writers = {}
