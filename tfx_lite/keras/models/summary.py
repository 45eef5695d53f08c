"""model.summary(): Keras 3's table of layers, output shapes and parameter counts."""
from __future__ import annotations

import numpy as np

COLUMNS = (33, 24, 15)


def _size(count):
    size = count * 4.0
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:.2f} {unit}"
        size /= 1024


def _shape_text(layer):
    from tfx_lite.keras.layers.input_layer import InputLayer
    if isinstance(layer, InputLayer):
        return str(layer.batch_shape)
    shape = getattr(layer, "_summary_output_shape", None)
    return str(shape) if shape is not None else "?"


def _row(cells):
    a, b, c = COLUMNS
    return f"│ {cells[0]:<{a - 2}} │ {cells[1]:<{b - 2}} │ {cells[2]:>{c - 2}} │"


def summary_text(model) -> str:
    a, b, c = COLUMNS
    lines = [f'Model: "{model.name}"',
             f"┏{'━' * a}┳{'━' * b}┳{'━' * c}┓",
             f"┃ {'Layer (type)':<{a - 2}} ┃ {'Output Shape':<{b - 2}} ┃ {'Param #':>{c - 2}} ┃",
             f"┡{'━' * a}╇{'━' * b}╇{'━' * c}┩"]
    layers = [l for l in model.layers if type(l).__name__ != "InputLayer" or hasattr(model, "_nodes")]
    for i, layer in enumerate(layers):
        if i:
            lines.append(f"├{'─' * a}┼{'─' * b}┼{'─' * c}┤")
        count = layer.count_params() if layer.built else 0
        lines.append(_row((f"{layer.name} ({type(layer).__name__})", _shape_text(layer), f"{count:,}")))
    lines.append(f"└{'─' * a}┴{'─' * b}┴{'─' * c}┘")
    total = int(sum(np.prod(w.shape.as_list()) for w in model.weights))
    trainable = int(sum(np.prod(w.shape.as_list()) for w in model.trainable_weights))
    lines += [f" Total params: {total:,} ({_size(total)})",
              f" Trainable params: {trainable:,} ({_size(trainable)})",
              f" Non-trainable params: {total - trainable:,} ({_size(total - trainable)})"]
    return "\n".join(lines)
