"""Recurrent layers: SimpleRNN, LSTM and GRU (and their cells), with Keras 3's weights (the cell
owns `kernel`, `recurrent_kernel`, `bias`), gate order (LSTM i, f, c, o; GRU z, r, h) and
defaults (glorot_uniform / orthogonal / zeros, LSTM unit_forget_bias, GRU reset_after).

The input projection `x @ kernel (+ bias)` is computed for every step at once; the recurrence
runs in one `tf.scan` over time when traced (one loop node in the graph of a tf.function or
`fit`), and step by step when eager (as an eager tf.while_loop does). A mask (batch, time) keeps the
previous state, and output, at masked steps, as Keras does."""
from __future__ import annotations

import tfx_lite as tf
from tfx_lite.keras import initializers
from tfx_lite.keras.layers import _util
from tfx_lite.keras.layers.layer import Layer

__all__ = ["SimpleRNNCell", "LSTMCell", "GRUCell", "SimpleRNN", "LSTM", "GRU"]


def _dropout_mask(like, rate, seed):
    return tf.nn.dropout(tf.ones_like(like), rate=rate, seed=seed)


class _Cell(Layer):
    """A recurrent cell: `call(inputs, states, training)` -> `(output, new_states)`, split into
    `project(inputs, masks)` (what does not depend on the state, for every step at once) and
    `step(projected, states, recurrent_masks)`."""
    gates = 1

    def __init__(self, units, activation="tanh", recurrent_activation="sigmoid", use_bias=True,
                 kernel_initializer="glorot_uniform", recurrent_initializer="orthogonal", bias_initializer="zeros",
                 kernel_regularizer=None, recurrent_regularizer=None, bias_regularizer=None, kernel_constraint=None,
                 recurrent_constraint=None, bias_constraint=None, dropout=0.0, recurrent_dropout=0.0, seed=None,
                 **kwargs):
        super().__init__(**kwargs)
        if not isinstance(units, int) or units <= 0:
            raise ValueError(f"Received an invalid value for argument `units`, expected a positive integer, got "
                             f"{units}.")
        self.units = units
        self.activation = _util.activation(activation)
        self.recurrent_activation = _util.activation(recurrent_activation)
        self.use_bias = use_bias
        self.kernel_initializer = _util.initializer(kernel_initializer)
        self.recurrent_initializer = _util.initializer(recurrent_initializer)
        self.bias_initializer = _util.initializer(bias_initializer)
        self.kernel_regularizer = kernel_regularizer
        self.recurrent_regularizer = recurrent_regularizer
        self.bias_regularizer = bias_regularizer
        self.kernel_constraint = kernel_constraint
        self.recurrent_constraint = recurrent_constraint
        self.bias_constraint = bias_constraint
        self.dropout = min(1.0, max(0.0, dropout))
        self.recurrent_dropout = min(1.0, max(0.0, recurrent_dropout))
        self.seed = seed
        self.state_size = units
        self.output_size = units

    def _bias_shape(self):
        return (self.gates * self.units,)

    def _bias_initializer(self):
        return self.bias_initializer

    def build(self, input_shape):
        input_dim = input_shape[-1]
        n = self.gates * self.units
        self.kernel = self.add_weight(shape=(input_dim, n), name="kernel", initializer=self.kernel_initializer,
                                      regularizer=self.kernel_regularizer)
        self.recurrent_kernel = self.add_weight(shape=(self.units, n), name="recurrent_kernel",
                                                initializer=self.recurrent_initializer,
                                                regularizer=self.recurrent_regularizer)
        self.bias = self.add_weight(shape=self._bias_shape(), name="bias", initializer=self._bias_initializer(),
                                    regularizer=self.bias_regularizer) if self.use_bias else None
        self.built = True

    def get_initial_state(self, batch_size=None):
        return [tf.zeros(_util.shape_of([batch_size, self.units]), dtype=self._dtype)]

    def _input_bias(self):
        return self.bias

    def dropout_masks(self, inputs, states, training):
        """Keras' dropout masks for one call: (input masks, recurrent masks), each None or a list
        (one mask, or one per gate when recurrent dropout is on: Keras' implementation 1)."""
        count = self.gates if self.recurrent_dropout > 0 else 1
        masks = [None, None]
        for i, (rate, like) in enumerate(((self.dropout, inputs), (self.recurrent_dropout, states[0]))):
            if training and 0.0 < rate < 1.0:
                masks[i] = [_dropout_mask(like, rate, self.seed) for _ in range(count)]
        return masks[0], masks[1]

    def project(self, inputs, masks=None):
        """`inputs @ kernel (+ input bias)` for inputs of any rank (the last axis is the features);
        `masks` (batch, features) multiply the inputs, one for all gates or one per gate."""
        def dot(x, kernel):
            if x.shape.rank == 2:
                return tf.matmul(x, kernel)
            return tf.tensordot(x, kernel, [[x.shape.rank - 1], [0]])

        def masked(m):
            return inputs * (m if inputs.shape.rank == 2 else tf.expand_dims(m, 1))

        if masks is None:
            z = dot(inputs, self.kernel)
        elif len(masks) == 1:
            z = dot(masked(masks[0]), self.kernel)
        else:
            u = self.units
            z = tf.concat([dot(masked(m), self.kernel[:, g * u:(g + 1) * u]) for g, m in enumerate(masks)],
                          axis=-1)
        bias = self._input_bias()
        return z + bias if bias is not None else z

    def _recurrent(self, h, masks, first, count):
        """`h @ recurrent_kernel` for gates [first, first + count), each gate's h times its mask."""
        u = self.units
        if masks is None:
            whole = (first, count) == (0, self.gates)
            kernel = self.recurrent_kernel if whole else self.recurrent_kernel[:, first * u:(first + count) * u]
            return tf.matmul(h, kernel)
        if len(masks) == 1:
            return self._recurrent(h * masks[0], None, first, count)
        parts = [tf.matmul(h * masks[g], self.recurrent_kernel[:, g * u:(g + 1) * u])
                 for g in range(first, first + count)]
        return parts[0] if count == 1 else tf.concat(parts, axis=-1)

    def step(self, projected, states, recurrent_masks=None):
        raise NotImplementedError

    def call(self, inputs, states, training=False):
        states = list(states) if isinstance(states, (list, tuple)) else [states]
        input_masks, recurrent_masks = self.dropout_masks(inputs, states, training)
        return self.step(self.project(inputs, input_masks), states, recurrent_masks)

    def get_config(self):
        config = super().get_config()
        config.update(
            units=self.units, activation=_util.serialize_activation(self.activation),
            recurrent_activation=_util.serialize_activation(self.recurrent_activation), use_bias=self.use_bias,
            kernel_initializer=_util.serialize_initializer(self.kernel_initializer),
            recurrent_initializer=_util.serialize_initializer(self.recurrent_initializer),
            bias_initializer=_util.serialize_initializer(self.bias_initializer),
            kernel_regularizer=_util.serialize_plain(self.kernel_regularizer),
            recurrent_regularizer=_util.serialize_plain(self.recurrent_regularizer),
            bias_regularizer=_util.serialize_plain(self.bias_regularizer),
            kernel_constraint=_util.serialize_plain(self.kernel_constraint),
            recurrent_constraint=_util.serialize_plain(self.recurrent_constraint),
            bias_constraint=_util.serialize_plain(self.bias_constraint),
            dropout=self.dropout, recurrent_dropout=self.recurrent_dropout, seed=self.seed)
        return config


class SimpleRNNCell(_Cell):
    """h = activation(x @ kernel + bias + h_prev @ recurrent_kernel)."""
    gates = 1

    def __init__(self, units, activation="tanh", use_bias=True, kernel_initializer="glorot_uniform",
                 recurrent_initializer="orthogonal", bias_initializer="zeros", kernel_regularizer=None,
                 recurrent_regularizer=None, bias_regularizer=None, kernel_constraint=None, recurrent_constraint=None,
                 bias_constraint=None, dropout=0.0, recurrent_dropout=0.0, seed=None, **kwargs):
        super().__init__(units, activation, None, use_bias, kernel_initializer, recurrent_initializer,
                         bias_initializer, kernel_regularizer, recurrent_regularizer, bias_regularizer,
                         kernel_constraint, recurrent_constraint, bias_constraint, dropout, recurrent_dropout, seed,
                         **kwargs)

    def step(self, projected, states, recurrent_masks=None):
        h = projected + self._recurrent(states[0], recurrent_masks, 0, 1)
        if self.activation is not None:
            h = self.activation(h)
        return h, [h]

    def get_config(self):
        config = super().get_config()
        config.pop("recurrent_activation")
        return config


class LSTMCell(_Cell):
    """Gates i, f, c, o from `x @ kernel + h @ recurrent_kernel + bias`;
    c = f * c_prev + i * activation(c~), h = o * activation(c)."""
    gates = 4

    def __init__(self, units, activation="tanh", recurrent_activation="sigmoid", use_bias=True,
                 kernel_initializer="glorot_uniform", recurrent_initializer="orthogonal", bias_initializer="zeros",
                 unit_forget_bias=True, kernel_regularizer=None, recurrent_regularizer=None, bias_regularizer=None,
                 kernel_constraint=None, recurrent_constraint=None, bias_constraint=None, dropout=0.0,
                 recurrent_dropout=0.0, seed=None, **kwargs):
        kwargs.pop("implementation", None)  # Keras' implementation choice does not change the numbers
        super().__init__(units, activation, recurrent_activation, use_bias, kernel_initializer,
                         recurrent_initializer, bias_initializer, kernel_regularizer, recurrent_regularizer,
                         bias_regularizer, kernel_constraint, recurrent_constraint, bias_constraint, dropout,
                         recurrent_dropout, seed, **kwargs)
        self.unit_forget_bias = unit_forget_bias
        self.state_size = [units, units]

    def _bias_initializer(self):
        if not self.unit_forget_bias:
            return self.bias_initializer
        units, base = self.units, self.bias_initializer

        def forget_bias_ones(shape, dtype=None):
            return tf.concat([base((units,), dtype=dtype), initializers.get("ones")((units,), dtype=dtype),
                              base((units * 2,), dtype=dtype)], axis=0)
        return forget_bias_ones

    def get_initial_state(self, batch_size=None):
        shape = _util.shape_of([batch_size, self.units])
        return [tf.zeros(shape, dtype=self._dtype), tf.zeros(shape, dtype=self._dtype)]

    def step(self, projected, states, recurrent_masks=None):
        h_tm1, c_tm1 = states[0], states[1]
        z = projected + self._recurrent(h_tm1, recurrent_masks, 0, 4)
        u = self.units
        z0, z1, z2, z3 = z[:, :u], z[:, u:2 * u], z[:, 2 * u:3 * u], z[:, 3 * u:]
        i = self.recurrent_activation(z0)
        f = self.recurrent_activation(z1)
        c = f * c_tm1 + i * self.activation(z2)
        o = self.recurrent_activation(z3)
        h = o * self.activation(c)
        return h, [h, c]

    def get_config(self):
        config = super().get_config()
        config["unit_forget_bias"] = self.unit_forget_bias
        return config


class GRUCell(_Cell):
    """Gates z, r and the candidate h~; with `reset_after` (Keras' default) the reset gate
    multiplies `h @ recurrent_kernel + recurrent_bias`, and the bias is `(2, 3 * units)`."""
    gates = 3

    def __init__(self, units, activation="tanh", recurrent_activation="sigmoid", use_bias=True,
                 kernel_initializer="glorot_uniform", recurrent_initializer="orthogonal", bias_initializer="zeros",
                 kernel_regularizer=None, recurrent_regularizer=None, bias_regularizer=None, kernel_constraint=None,
                 recurrent_constraint=None, bias_constraint=None, dropout=0.0, recurrent_dropout=0.0, reset_after=True,
                 seed=None, **kwargs):
        kwargs.pop("implementation", None)
        super().__init__(units, activation, recurrent_activation, use_bias, kernel_initializer,
                         recurrent_initializer, bias_initializer, kernel_regularizer, recurrent_regularizer,
                         bias_regularizer, kernel_constraint, recurrent_constraint, bias_constraint, dropout,
                         recurrent_dropout, seed, **kwargs)
        self.reset_after = reset_after

    def _bias_shape(self):
        return (2, 3 * self.units) if self.reset_after else (3 * self.units,)

    def _input_bias(self):
        if self.bias is None:
            return None
        return self.bias[0] if self.reset_after else self.bias

    def step(self, projected, states, recurrent_masks=None):
        h_tm1 = states[0]
        u = self.units
        x_z, x_r, x_h = projected[:, :u], projected[:, u:2 * u], projected[:, 2 * u:]
        inner = self._recurrent(h_tm1, recurrent_masks, 0, 3 if self.reset_after else 2)
        if self.reset_after and self.bias is not None:
            inner = inner + self.bias[1]
        z = self.recurrent_activation(x_z + inner[:, :u])
        r = self.recurrent_activation(x_r + inner[:, u:2 * u])
        if self.reset_after:
            recurrent_h = r * inner[:, 2 * u:]
        else:
            h_h = h_tm1 if recurrent_masks is None else h_tm1 * recurrent_masks[-1]
            recurrent_h = tf.matmul(r * h_h, self.recurrent_kernel[:, 2 * u:])
        hh = self.activation(x_h + recurrent_h)
        h = z * h_tm1 + (1 - z) * hh
        return h, [h]

    def get_config(self):
        config = super().get_config()
        config["reset_after"] = self.reset_after
        return config


class _RNN(Layer):
    """The loop around a cell (Keras' RNN layer for the three built-in cells)."""

    def __init__(self, cell, return_sequences=False, return_state=False, go_backwards=False, stateful=False,
                 unroll=False, zero_output_for_mask=False, **kwargs):
        activity_regularizer = kwargs.get("activity_regularizer")
        super().__init__(**kwargs)
        if stateful:
            raise NotImplementedError(f"{type(self).__name__}(stateful=True) is not supported by tfx_lite")
        self.cell = cell
        self.return_sequences = return_sequences
        self.return_state = return_state
        self.go_backwards = go_backwards
        self.stateful = stateful
        self.unroll = unroll
        self.zero_output_for_mask = zero_output_for_mask
        self.activity_regularizer = activity_regularizer
        self.supports_masking = True

    def build(self, sequences_shape, initial_state_shape=None):
        if len(sequences_shape) != 3:
            raise ValueError(f"Input {0} of layer '{self.name}' is incompatible with the layer: expected ndim=3, "
                             f"found ndim={len(sequences_shape)}. Full shape received: {tuple(sequences_shape)}")
        if not self.cell.built:
            with self.cell.name_scope:
                self.cell.build((sequences_shape[0], sequences_shape[-1]))
            self.cell.built = True
        self.built = True

    def __getattr__(self, name):
        # Keras exposes the cell's settings on the layer (layer.units, layer.kernel_initializer, ...).
        cell = self.__dict__.get("cell")
        if cell is not None and not name.startswith("_"):
            return getattr(cell, name)
        raise AttributeError(f"'{type(self).__name__}' object has no attribute '{name}'")

    def get_initial_state(self, batch_size):
        return self.cell.get_initial_state(batch_size)

    def call(self, sequences, initial_state=None, mask=None, training=False):
        cell = self.cell
        x = _util.cast_inputs(sequences, cell.kernel.dtype)
        batch = _util.batch_size(x)
        if initial_state is None:
            states = cell.get_initial_state(batch)
        else:
            states = list(initial_state) if isinstance(initial_state, (list, tuple)) else [initial_state]
            states = [tf.cast(tf.convert_to_tensor(s), x.dtype) for s in states]
            expected = len(cell.state_size) if isinstance(cell.state_size, list) else 1
            if len(states) != expected:
                raise ValueError(f"Layer {self.name} expects {expected} state(s), but it received "
                                 f"{len(states)} initial state(s).")
        input_masks, recurrent_masks = cell.dropout_masks(x[:, 0, :], states, training)

        projected = tf.transpose(cell.project(x, input_masks), [1, 0, 2])  # time-major
        elems = [projected]
        if mask is not None:
            mask = tf.convert_to_tensor(mask)
            elems.append(tf.transpose(tf.cast(mask, tf.bool), [1, 0]))
        if self.go_backwards:
            elems = [tf.reverse(e, [0]) for e in elems]

        def body(carry, inputs):
            prev_states = list(carry)
            _, new_states = cell.step(inputs[0], prev_states, recurrent_masks)
            if mask is not None:  # masked steps keep the state (and so repeat the output)
                keep = tf.expand_dims(inputs[1], -1)
                new_states = [tf.where(keep, new, old) for new, old in zip(new_states, prev_states)]
            return tuple(new_states)

        # The output of each of these cells is its first state.
        if tf.executing_eagerly():
            # Step by step, as tf.while_loop runs eagerly: a GradientTape then sees every step
            # (an eager tf.scan hides the weights its body reads from the tape).
            carry, steps = tuple(states), []
            for t in range(projected.shape[0]):
                carry = body(carry, [e[t] for e in elems])
                steps.append(carry[0])
            last_states = list(carry)
            outputs = tf.stack(steps, axis=0) if self.return_sequences else None
        else:  # traced: one scan node over time
            carried = tf.scan(body, tuple(elems), initializer=tuple(states))
            last_states = [s[-1] for s in carried]
            outputs = carried[0] if self.return_sequences else None
        last_output = last_states[0]
        if outputs is not None:
            if mask is not None and self.zero_output_for_mask:
                outputs = tf.where(tf.expand_dims(elems[1], -1), outputs, tf.zeros_like(outputs))
            outputs = tf.transpose(outputs, [1, 0, 2])
        output = outputs if self.return_sequences else last_output
        if self.return_state:
            return (output, *last_states)
        return output

    def get_config(self):
        values = super().get_config()
        base = list(values)
        values.update(return_sequences=self.return_sequences, return_state=self.return_state,
                      go_backwards=self.go_backwards, stateful=self.stateful, unroll=self.unroll,
                      zero_output_for_mask=self.zero_output_for_mask,
                      activity_regularizer=_util.serialize_plain(self.activity_regularizer))
        values.update({k: v for k, v in self.cell.get_config().items() if k not in base})
        return {key: values[key] for key in base + list(self._LOOP_KEYS + self._CELL_KEYS)}

    _LOOP_KEYS = ("return_sequences", "return_state", "go_backwards", "stateful", "unroll", "zero_output_for_mask")
    _CELL_KEYS = ()  # Keras' order of each layer's config keys


_WEIGHT_KEYS = ("kernel_regularizer", "recurrent_regularizer", "bias_regularizer", "activity_regularizer",
                "kernel_constraint", "recurrent_constraint", "bias_constraint", "dropout", "recurrent_dropout")
_INIT_KEYS = ("kernel_initializer", "recurrent_initializer", "bias_initializer")


class SimpleRNN(_RNN):
    _CELL_KEYS = ("units", "activation", "use_bias", *_INIT_KEYS, *_WEIGHT_KEYS)

    def __init__(self, units, activation="tanh", use_bias=True, kernel_initializer="glorot_uniform",
                 recurrent_initializer="orthogonal", bias_initializer="zeros", kernel_regularizer=None,
                 recurrent_regularizer=None, bias_regularizer=None, activity_regularizer=None, kernel_constraint=None,
                 recurrent_constraint=None, bias_constraint=None, dropout=0.0, recurrent_dropout=0.0,
                 return_sequences=False, return_state=False, go_backwards=False, stateful=False, unroll=False,
                 seed=None, **kwargs):
        cell = SimpleRNNCell(units, activation=activation, use_bias=use_bias, kernel_initializer=kernel_initializer,
                             recurrent_initializer=recurrent_initializer, bias_initializer=bias_initializer,
                             kernel_regularizer=kernel_regularizer, recurrent_regularizer=recurrent_regularizer,
                             bias_regularizer=bias_regularizer, kernel_constraint=kernel_constraint,
                             recurrent_constraint=recurrent_constraint, bias_constraint=bias_constraint,
                             dropout=dropout, recurrent_dropout=recurrent_dropout, seed=seed,
                             dtype=kwargs.get("dtype"), trainable=kwargs.get("trainable", True),
                             name="simple_rnn_cell")
        super().__init__(cell, return_sequences=return_sequences, return_state=return_state,
                         go_backwards=go_backwards, stateful=stateful, unroll=unroll,
                         activity_regularizer=activity_regularizer, **kwargs)


class LSTM(_RNN):
    _CELL_KEYS = ("units", "activation", "recurrent_activation", "use_bias", *_INIT_KEYS, "unit_forget_bias",
                  *_WEIGHT_KEYS, "seed")

    def __init__(self, units, activation="tanh", recurrent_activation="sigmoid", use_bias=True,
                 kernel_initializer="glorot_uniform", recurrent_initializer="orthogonal", bias_initializer="zeros",
                 unit_forget_bias=True, kernel_regularizer=None, recurrent_regularizer=None, bias_regularizer=None,
                 activity_regularizer=None, kernel_constraint=None, recurrent_constraint=None, bias_constraint=None,
                 dropout=0.0, recurrent_dropout=0.0, seed=None, return_sequences=False, return_state=False,
                 go_backwards=False, stateful=False, unroll=False, use_cudnn="auto", **kwargs):
        kwargs.pop("implementation", None)
        cell = LSTMCell(units, activation=activation, recurrent_activation=recurrent_activation, use_bias=use_bias,
                        kernel_initializer=kernel_initializer, recurrent_initializer=recurrent_initializer,
                        bias_initializer=bias_initializer, unit_forget_bias=unit_forget_bias,
                        kernel_regularizer=kernel_regularizer, recurrent_regularizer=recurrent_regularizer,
                        bias_regularizer=bias_regularizer, kernel_constraint=kernel_constraint,
                        recurrent_constraint=recurrent_constraint, bias_constraint=bias_constraint, dropout=dropout,
                        recurrent_dropout=recurrent_dropout, seed=seed, dtype=kwargs.get("dtype"),
                        trainable=kwargs.get("trainable", True), name="lstm_cell")
        super().__init__(cell, return_sequences=return_sequences, return_state=return_state,
                         go_backwards=go_backwards, stateful=stateful, unroll=unroll,
                         activity_regularizer=activity_regularizer, **kwargs)
        self.use_cudnn = use_cudnn


class GRU(_RNN):
    _CELL_KEYS = ("units", "activation", "recurrent_activation", "use_bias", *_INIT_KEYS, *_WEIGHT_KEYS,
                  "reset_after", "seed")

    def __init__(self, units, activation="tanh", recurrent_activation="sigmoid", use_bias=True,
                 kernel_initializer="glorot_uniform", recurrent_initializer="orthogonal", bias_initializer="zeros",
                 kernel_regularizer=None, recurrent_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 kernel_constraint=None, recurrent_constraint=None, bias_constraint=None, dropout=0.0,
                 recurrent_dropout=0.0, seed=None, return_sequences=False, return_state=False, go_backwards=False,
                 stateful=False, unroll=False, reset_after=True, use_cudnn="auto", **kwargs):
        kwargs.pop("implementation", None)
        cell = GRUCell(units, activation=activation, recurrent_activation=recurrent_activation, use_bias=use_bias,
                       kernel_initializer=kernel_initializer, recurrent_initializer=recurrent_initializer,
                       bias_initializer=bias_initializer, kernel_regularizer=kernel_regularizer,
                       recurrent_regularizer=recurrent_regularizer, bias_regularizer=bias_regularizer,
                       kernel_constraint=kernel_constraint, recurrent_constraint=recurrent_constraint,
                       bias_constraint=bias_constraint, dropout=dropout, recurrent_dropout=recurrent_dropout,
                       reset_after=reset_after, seed=seed, dtype=kwargs.get("dtype"),
                       trainable=kwargs.get("trainable", True), name="gru_cell")
        super().__init__(cell, return_sequences=return_sequences, return_state=return_state,
                         go_backwards=go_backwards, stateful=stateful, unroll=unroll,
                         activity_regularizer=activity_regularizer, **kwargs)
        self.use_cudnn = use_cudnn
