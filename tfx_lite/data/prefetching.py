"""prefetch: a background thread runs the pipeline ahead of the consumer, up to `buffer_size`
blocks (for a batched dataset, batches) ahead; numpy and XLA release the GIL while they work,
so the two overlap."""
from __future__ import annotations

import queue
import threading

from tfx_lite.data.dataset import AUTOTUNE, UnaryDataset
from tfx_lite.data.structure import as_component

# What tf.data.AUTOTUNE means for prefetch here.
AUTOTUNE_BUFFER = 4
_END = object()


class _PrefetchDataset(UnaryDataset):
    def __init__(self, input_dataset, buffer_size, name=None):
        buffer_size = int(as_component(buffer_size))
        if buffer_size < 0 and buffer_size != AUTOTUNE:
            raise ValueError(f"buffer_size must be >= 0 or tf.data.AUTOTUNE (-1), got {buffer_size}")
        super().__init__(input_dataset._structure, name)
        self._input = input_dataset
        self._buffer = AUTOTUNE_BUFFER if buffer_size == AUTOTUNE else buffer_size

    def _blocks(self, size):
        if self._buffer == 0:
            yield from self._input._blocks(size)
            return
        ahead = queue.Queue(self._buffer)
        stop = threading.Event()

        def offer(item) -> bool:
            while not stop.is_set():
                try:
                    ahead.put(item, timeout=0.1)
                    return True
                except queue.Full:
                    continue
            return False

        def produce():
            try:
                for block in self._input._blocks(size):
                    if not offer(block):
                        return
                offer(_END)
            except BaseException as err:  # noqa: BLE001 -- re-raised in the consumer
                offer(err)

        thread = threading.Thread(target=produce, name="tf.data prefetch", daemon=True)
        thread.start()
        try:
            while True:
                item = ahead.get()
                if item is _END:
                    return
                if isinstance(item, BaseException):
                    raise item
                yield item
        finally:
            stop.set()
