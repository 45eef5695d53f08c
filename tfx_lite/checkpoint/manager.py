"""tf.train.CheckpointManager: numbered checkpoints in one directory, the newest `max_to_keep`
kept (older ones deleted unless preserved by `keep_checkpoint_every_n_hours`), its bookkeeping
in the directory's `checkpoint` state file so that a later manager takes over."""
from __future__ import annotations

import collections
import os
import time

from tfx_lite.checkpoint.state import CheckpointState, read_state, write_state
from tfx_lite.saving import bundle


class CheckpointManager:
    def __init__(self, checkpoint, directory, max_to_keep, keep_checkpoint_every_n_hours=None,
                 checkpoint_name="ckpt", step_counter=None, checkpoint_interval=None, init_fn=None,
                 last_checkpoint_step=None):
        if max_to_keep is not None and max_to_keep <= 0:
            raise ValueError(f"Expected a positive integer or `None` for `max_to_keep`, got {max_to_keep}.")
        if checkpoint_interval is not None and step_counter is None:
            raise ValueError("`step_counter` should be passed if `checkpoint_interval` is not None.")
        self._checkpoint = checkpoint
        self._max_to_keep = max_to_keep
        self._keep_hours = keep_checkpoint_every_n_hours
        self._directory = os.fspath(directory)
        self._prefix = os.path.join(self._directory, checkpoint_name)
        self._init_fn = init_fn
        self._step_counter = step_counter
        self._checkpoint_interval = checkpoint_interval
        self._last_checkpoint_step = last_checkpoint_step
        self._maybe_delete: collections.OrderedDict = collections.OrderedDict()
        state = read_state(self._directory) if os.path.isdir(self._directory) else None
        now = time.time()
        if state is None:
            self._latest_checkpoint = None
            self._last_preserved = now - 1.0
        else:
            self._latest_checkpoint = state.model_checkpoint_path or None
            self._last_preserved = min(state.last_preserved_timestamp, now)
            stamps = state.all_model_checkpoint_timestamps or \
                [self._last_preserved] * len(state.all_model_checkpoint_paths)
            for path, stamp in zip(state.all_model_checkpoint_paths, stamps):
                stamp = min(stamp, now)
                if stamp > self._last_preserved:
                    self._maybe_delete[path] = stamp

    @property
    def directory(self):
        return self._directory

    @property
    def checkpoint(self):
        return self._checkpoint

    @property
    def checkpoint_interval(self):
        return self._checkpoint_interval

    @property
    def latest_checkpoint(self):
        return self._latest_checkpoint

    @property
    def checkpoints(self) -> list:
        """The managed checkpoints, oldest first (not those preserved by the hours rule)."""
        return list(self._maybe_delete)

    def _sweep(self):
        if not self._max_to_keep:
            return
        while len(self._maybe_delete) > self._max_to_keep:
            path, stamp = self._maybe_delete.popitem(last=False)
            if self._keep_hours and stamp - self._keep_hours * 3600.0 >= self._last_preserved:
                self._last_preserved = stamp
                continue
            for name in (bundle.index_path(path), bundle.data_path(path)):
                if os.path.exists(name):
                    os.remove(name)

    def _record_state(self):
        write_state(self._directory, CheckpointState(
            self._latest_checkpoint, list(self._maybe_delete), list(self._maybe_delete.values()),
            self._last_preserved))

    def save(self, checkpoint_number=None, check_interval=True, options=None):
        """Write a new checkpoint (numbered by `checkpoint_number` or the save counter); its path."""
        if self._checkpoint_interval is not None:
            step = int(self._step_counter.numpy())
            if self._last_checkpoint_step is not None:
                if step == self._last_checkpoint_step:
                    return None
                if check_interval and step < self._last_checkpoint_step + self._checkpoint_interval:
                    return None
            self._last_checkpoint_step = step
        counter = self._checkpoint.save_counter
        counter.assign_add(1)
        number = counter if checkpoint_number is None else checkpoint_number
        number = int(number.numpy()) if hasattr(number, "numpy") else int(number)
        path = self._checkpoint.write(f"{self._prefix}-{number}")
        self._maybe_delete.pop(path, None)
        self._maybe_delete[path] = time.time()
        self._latest_checkpoint = path
        self._sweep()
        self._record_state()
        return path

    def restore_or_initialize(self):
        """Restore the latest checkpoint (its path), or run `init_fn` (None)."""
        if self._latest_checkpoint is not None:
            self._checkpoint.restore(self._latest_checkpoint)
            if self._checkpoint_interval is not None:
                self._last_checkpoint_step = int(self._step_counter.numpy())
            return self._latest_checkpoint
        if self._init_fn is not None:
            self._init_fn()
        return None
