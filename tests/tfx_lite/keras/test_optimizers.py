"""tf.keras.optimizers: each optimizer's updates, the schedules, tf.function, tapes and configs,
compared with Keras 3.

Expected values (CASES, the *_SCHEDULE/... tuples and SCHEDULES) were printed by TF 2.21 /
Keras 3.15.1: for each case, `w = tf.Variable(W0, name="kernel")`, `b = tf.Variable(B0,
name="bias")`, `opt = getattr(tf.keras.optimizers, cls)(**kwargs)`, then for t in 0..3
`opt.apply_gradients([(tf.constant(GW[t]), w), (tf.constant(GB[t]), b)])`; the slots are
`[(v.name, v.numpy()) for v in opt.variables]` after `iteration` and `learning_rate`; a
schedule's values are `schedule(tf.constant(step, tf.int64))` at SCHEDULE_STEPS.
"""
import re

import numpy as np
import pytest

import tfx_lite as tf
from compiler.bind import _KERNELS
from tfx_lite.keras import optimizers
from tfx_lite.keras.optimizers import schedules

W0 = [[1.0, -2.0], [3.0, 0.5]]
B0 = [0.5, -1.0]
GW = [[[0.1, -0.2], [0.3, 0.4]], [[-0.5, 0.1], [0.2, 0.05]], [[0.02, 0.3], [-0.1, 0.01]],
      [[0.2, -0.05], [0.0, 0.6]]]
GB = [[1.0, -0.5], [0.3, 2.0], [-0.7, 0.1], [0.05, -0.02]]

# Printed by TF 2.21 / Keras 3.15.1: (optimizer, kwargs, w after 4 steps, b, slot variables).
CASES = {
    'sgd': ('SGD', dict(learning_rate=0.1),
        [[1.018, -2.0149999], [2.96, 0.39400002]], [0.435, -1.158],
        {}),
    'sgd_momentum': ('SGD', dict(learning_rate=0.1, momentum=0.9),
        [[1.07731, -2.01032], [2.8616302, 0.28699]], [0.20280002, -1.38705],
        {'kernel_0_momentum': [[0.011409996, -0.015519999], [-0.02907, -0.09411]],
         'bias_0_momentum': [-0.039199993, -0.13254999]}),
    'sgd_nesterov': ('SGD', dict(learning_rate=0.1, momentum=0.9, nesterov=True),
        [[1.0875789, -2.0242882], [2.835467, 0.20229098]], [0.16752002, -1.5063449],
        {'kernel_0_momentum': [[0.011409996, -0.015519999], [-0.02907, -0.09411]],
         'bias_0_momentum': [-0.039199993, -0.13254999]}),
    'sgd_weight_decay': ('SGD', dict(learning_rate=0.1, weight_decay=0.05),
        [[0.99781, -1.9753478], [2.9010456, 0.38472664]], [0.42651653, -1.1368507],
        {}),
    'sgd_clipnorm': ('SGD', dict(learning_rate=0.1, momentum=0.5, clipnorm=0.3),
        [[1.0251613, -2.029226], [2.9642947, 0.42435664]], [0.48144835, -1.0311273],
        {'kernel_0_momentum': [[-0.004270116, -0.011824807], [-4.9630646e-05, -0.032265566]],
         'bias_0_momentum': [0.0053825867, -0.0058612926]}),
    'sgd_clipvalue': ('SGD', dict(learning_rate=0.1, momentum=0.5, clipvalue=0.25),
        [[1.002, -2.0125], [2.933125, 0.41787496]], [0.44187498, -1.0098749],
        {'kernel_0_momentum': [[-0.016000003, -0.0075], [-0.0031250003, -0.029875001]],
         'bias_0_momentum': [-0.0018750005, -0.0061250003]}),
    'sgd_global_clipnorm': ('SGD', dict(learning_rate=0.1, momentum=0.5, global_clipnorm=0.6),
        [[0.9948439, -2.0170681], [2.9744856, 0.4036481]], [0.47119504, -1.0647473],
        {'kernel_0_momentum': [[-0.016645027, -0.006413272], [0.00063271285, -0.059695277]],
         'bias_0_momentum': [0.014216607, -0.013288755]}),
    'adam': ('Adam', dict(learning_rate=0.01),
        [[1.0015658, -1.993622], [2.9702573, 0.46884936]], [0.47769782, -1.0039603],
        {'kernel_0_momentum': [[-0.011409998, 0.015519999], [0.029070003, 0.09411001]],
         'kernel_0_velocity': [[0.0002998699, 0.00014227015], [0.00013964032, 0.00052211544]],
         'bias_0_momentum': [0.0392, 0.13255],
         'bias_0_velocity': [0.0015788331, 0.004251645]}),
    'adam_amsgrad': ('Adam', dict(learning_rate=0.01, beta_1=0.8, beta_2=0.9, amsgrad=True),
        [[1.0011607, -1.9951752], [2.971785, 0.47008526]], [0.47950596, -1.0038035],
        {'kernel_0_momentum': [[-0.010559998, 0.03032], [0.04032, 0.16896]],
         'kernel_0_velocity': [[0.025015, 0.012076001], [0.010701001, 0.0478755]],
         'bias_0_momentum': [0.038799997, 0.21679999],
         'bias_0_velocity': [0.12454, 0.343165],
         'kernel_0_velocity_hat': [[0.0259, 0.01314], [0.012100001, 0.0478755]],
         'bias_0_velocity_hat': [0.1381, 0.4225]}),
    'adam_clipnorm': ('Adam', dict(learning_rate=0.01, clipnorm=0.3),
        [[1.001524, -1.9960485], [2.9730377, 0.46864802]], [0.48259428, -1.0007709],
        {'kernel_0_momentum': [[-0.006937312, 0.01961871], [0.012298174, 0.04740434]],
         'kernel_0_velocity': [[8.652446e-05, 9.6008735e-05], [4.7742396e-05, 0.00012918482]],
         'bias_0_momentum': [0.0014371602, 0.016068969],
         'bias_0_velocity': [0.00016437253, 0.00010798788]}),
    'adamw': ('AdamW', dict(learning_rate=0.01, weight_decay=0.1),
        [[0.9975855, -1.9856652], [2.9583302, 0.46690348]], [0.47574985, -0.99998045],
        {'kernel_0_momentum': [[-0.011409998, 0.015519999], [0.029070003, 0.09411001]],
         'kernel_0_velocity': [[0.0002998699, 0.00014227015], [0.00013964032, 0.00052211544]],
         'bias_0_momentum': [0.0392, 0.13255],
         'bias_0_velocity': [0.0015788331, 0.004251645]}),
    'rmsprop': ('RMSprop', dict(learning_rate=0.01),
        [[0.98549306, -2.0047429], [2.9593663, 0.43595412]], [0.4762623, -1.0004246],
        {'kernel_0_velocity': [[0.025015, 0.012076], [0.010701, 0.0478755]],
         'bias_0_velocity': [0.12453999, 0.34316498]}),
    'rmsprop_centered': ('RMSprop', dict(learning_rate=0.01, centered=True),
        [[0.98477435, -2.0036235], [2.9561589, 0.43097925]], [0.47386265, -0.9996687],
        {'kernel_0_velocity': [[0.025015, 0.012076], [0.010701, 0.0478755]],
         'bias_0_velocity': [0.12453999, 0.34316498],
         'kernel_0_average_gradient': [[-0.011409996, 0.015519999], [0.02907, 0.09411]],
         'bias_0_average_gradient': [0.039199993, 0.13254999]}),
    'rmsprop_momentum': ('RMSprop', dict(learning_rate=0.01, momentum=0.9),
        [[0.960318, -1.9763821], [2.8594017, 0.350979]], [0.3997831, -0.97736984],
        {'kernel_0_velocity': [[0.025015, 0.012076], [0.010701, 0.0478755]],
         'bias_0_velocity': [0.12453999, 0.34316498],
         'kernel_0_momentum': [[0.011709673, 0.007893992], [0.029526362, 0.05460418]],
         'bias_0_momentum': [0.015239973, 0.0029862989]}),
    'rmsprop_centered_momentum': (
        'RMSprop', dict(learning_rate=0.01, rho=0.8, momentum=0.5, centered=True, epsilon=0.001),
        [[0.9929357, -2.0006492], [2.9377646, 0.42269197]], [0.4590316, -0.996079],
        {'kernel_0_velocity': [[0.041088004, 0.020276], [0.015936, 0.08872001]],
         'bias_0_velocity': [0.19282001, 0.53928],
         'kernel_0_momentum': [[0.0068664653, 0.0060401857], [0.0033298042, 0.028545838]],
         'bias_0_momentum': [-0.0008120199, 0.0030926],
         'kernel_0_average_gradient': [[-0.010559995, 0.030320004], [0.040320005, 0.16896]],
         'bias_0_average_gradient': [0.038800012, 0.21680003]}),
    'adagrad': ('Adagrad', dict(learning_rate=0.1),
        [[1.0182438, -2.0234513], [2.9098847, 0.3338023]], [0.42730424, -1.0152087],
        {'kernel_0_accumulator': [[0.4004, 0.2425], [0.24000001, 0.6226]],
         'bias_0_accumulator': [1.6825001, 4.3604]}),
    'adagrad_init': (
        'Adagrad', dict(learning_rate=0.1, initial_accumulator_value=0.5, epsilon=0.0001),
        [[1.0187018, -2.0175285], [2.94825, 0.38406587]], [0.43963265, -1.037701],
        {'kernel_0_accumulator': [[0.8004, 0.6425], [0.64000005, 1.0226]],
         'bias_0_accumulator': [2.0825, 4.7604003]}),
}

# Printed by TF 2.21 / Keras 3.15.1 for the tests below (w and b after the steps):
# SGD_SCHEDULE: SGD(ExponentialDecay(0.1, 2, 0.5), momentum=0.5), 4 steps; ADAMW_EXCLUDE_BIAS:
# AdamW(0.01, weight_decay=0.1) after exclude_from_weight_decay(var_names=["bias"]), 4 steps;
# ADAM_SCHEDULE: Adam(PolynomialDecay(0.05, 3, 0.01, power=2.0)), 4 steps; ADAM_NONE_GRAD:
# Adam(0.01), 3 steps with b's gradient None; SGD_LR_SET: SGD(0.1, momentum=0.9) with
# `opt.learning_rate = 0.1 / (t + 1)` before step t.
SGD_SCHEDULE = ([[1.0345508, -1.9956065], [2.9265013, 0.39684963]], [0.3261091, -1.1605303])
ADAMW_EXCLUDE_BIAS = ([[0.9975855, -1.9856652], [2.9583302, 0.46690348]], [0.47769782, -1.0039603])
ADAM_SCHEDULE = ([[0.9741473, -1.9506185], [2.9105546, 0.41271728]], [0.42162716, -0.97596496])
ADAM_NONE_GRAD = ([[1.000355, -1.9912308], [2.974778, 0.47641802]], [0.5, -1.0])
SGD_LR_SET = ([[1.0270934, -1.96252], [2.8760636, 0.34003165]], [0.15853336, -1.1048833])

SCHEDULE_STEPS = [0, 1, 3, 5, 10, 17, 20, 25, 40, 100]
SCHEDULES = {
    'exponential': (
        'ExponentialDecay', dict(initial_learning_rate=0.1, decay_steps=10, decay_rate=0.5),
        [0.1, 0.0933033, 0.08122524, 0.07071068, 0.05, 0.030778611, 0.025, 0.01767767, 0.00625, 9.765625e-05]),
    'exponential_staircase': (
        'ExponentialDecay', dict(initial_learning_rate=0.1, decay_steps=10, decay_rate=0.5, staircase=True),
        [0.1, 0.1, 0.1, 0.1, 0.05, 0.05, 0.025, 0.025, 0.00625, 9.765625e-05]),
    'piecewise': ('PiecewiseConstantDecay', dict(boundaries=[5, 20], values=[1.0, 0.5, 0.1]),
        [1.0, 1.0, 1.0, 1.0, 0.5, 0.5, 0.5, 0.1, 0.1, 0.1]),
    'inverse_time': (
        'InverseTimeDecay', dict(initial_learning_rate=0.1, decay_steps=10, decay_rate=0.5),
        [0.1, 0.095238104, 0.08695652, 0.08, 0.06666667, 0.054054055, 0.05, 0.044444446, 0.033333335, 0.016666668]),
    'inverse_time_staircase': (
        'InverseTimeDecay', dict(initial_learning_rate=0.1, decay_steps=10, decay_rate=0.5, staircase=True),
        [0.1, 0.1, 0.1, 0.1, 0.06666667, 0.06666667, 0.05, 0.05, 0.033333335, 0.016666668]),
    'polynomial': (
        'PolynomialDecay', dict(initial_learning_rate=0.1, decay_steps=20, end_learning_rate=0.01, power=2.0),
        [0.1, 0.091225, 0.075025, 0.060625, 0.0325, 0.012025, 0.01, 0.01, 0.01, 0.01]),
    'polynomial_cycle': (
        'PolynomialDecay', dict(initial_learning_rate=0.1, decay_steps=20, end_learning_rate=0.01, power=0.5, cycle=True),
        [0.1, 0.09772115, 0.0929759, 0.08794229, 0.07363961, 0.044856846, 0.01, 0.06511352, 0.01, 0.01]),
    'cosine': ('CosineDecay', dict(initial_learning_rate=0.1, decay_steps=20, alpha=0.1),
        [0.1, 0.09944598, 0.09509529, 0.08681981, 0.054999996, 0.014904703, 0.010000001, 0.010000001, 0.010000001, 0.010000001]),
    'cosine_warmup': (
        'CosineDecay', dict(initial_learning_rate=0.0, decay_steps=20, warmup_target=0.2, warmup_steps=5),
        [0.0, 0.040000003, 0.120000005, 0.2, 0.17071068, 0.06909829, 0.029289324, 0.0, 0.0, 0.0]),
    'cosine_restarts': (
        'CosineDecayRestarts', dict(initial_learning_rate=0.1, first_decay_steps=10, t_mul=2.0, m_mul=0.5, alpha=0.1),
        [0.1, 0.09779754, 0.081450336, 0.054999996, 0.055000003, 0.042714786, 0.0325, 0.016590098, 0.029204953, 0.017777596]),
    'cosine_restarts_t1': (
        'CosineDecayRestarts', dict(initial_learning_rate=0.1, first_decay_steps=10, t_mul=1.0, m_mul=0.5),
        [0.1, 0.09755283, 0.07938927, 0.049999997, 0.05, 0.010305365, 0.025, 0.012499999, 0.00625, 9.765625e-05]),
}


def _variables():
    return tf.Variable(W0, name="kernel"), tf.Variable(B0, name="bias")


def _grads(t):
    return tf.constant(GW[t]), tf.constant(GB[t])


def _close(actual, expected):
    np.testing.assert_allclose(np.asarray(actual, np.float64), np.asarray(expected, np.float64),
                               rtol=1e-6, atol=1e-6)


def _slot_name(variable):
    """Keras's name of an optimizer variable: ours carry the optimizer's scope and ':0'."""
    return variable.name.split("/")[-1][:-2]


def _check(case, w, b, opt):
    cls, kwargs, w_expected, b_expected, slots = CASES[case]
    _close(w, w_expected)
    _close(b, b_expected)
    assert opt.iterations.numpy() == 4 and opt.iterations.dtype == tf.int64
    assert [_slot_name(v) for v in opt.variables] == ["iteration", "learning_rate", *slots]
    for variable, expected in zip(opt.variables[2:], slots.values()):
        _close(variable, expected)
    assert not any(v.trainable for v in opt.variables)


@pytest.mark.parametrize("case", list(CASES))
def test_eager_steps_match_keras(case):
    cls, kwargs = CASES[case][:2]
    w, b = _variables()
    opt = getattr(optimizers, cls)(**kwargs)
    for t in range(4):
        assert opt.apply_gradients(zip(_grads(t), [w, b])) is opt.iterations
    _check(case, w, b, opt)


# One traced train step per family and option; the traced graph holds one update op.
@pytest.mark.parametrize("case", ["sgd_nesterov", "sgd_global_clipnorm", "adam_amsgrad", "adamw",
                                  "rmsprop_centered_momentum", "adagrad_init"])
def test_steps_in_a_tf_function_match_keras(case):
    cls, kwargs = CASES[case][:2]
    w, b = _variables()
    opt = getattr(optimizers, cls)(**kwargs)

    @tf.function
    def train_step(gw, gb):
        opt.apply_gradients([(gw, w), (gb, b)])

    for t in range(4):
        train_step(*_grads(t))
    _check(case, w, b, opt)
    assert train_step.experimental_get_tracing_count() == 1
    ir = tf.dump_ir(train_step, *_grads(0))
    assert ir.count("optimizer_update(") == 1, ir
    assert f"rule=({opt._RULE!r}" in ir


def test_a_traced_train_step_with_tape_and_two_updates_holds_two_update_ops():
    w, b = _variables()
    opt = optimizers.Adam(0.01)

    @tf.function
    def train_step(x):
        for _ in range(2):
            with tf.GradientTape() as tape:
                loss = tf.reduce_sum(tf.square(tf.linalg.matvec(w, x) + b))
            grads = tape.gradient(loss, [w, b])
            opt.apply_gradients(zip(grads, [w, b]))
        return loss

    x = tf.constant([1.0, 2.0])
    ir = tf.dump_ir(train_step, x)
    assert ir.count("optimizer_update(") == 2
    train_step(x)
    assert opt.iterations.numpy() == 2

    # the same two steps eagerly
    w2, b2 = _variables()
    opt2 = optimizers.Adam(0.01)
    for _ in range(2):
        with tf.GradientTape() as tape:
            loss = tf.reduce_sum(tf.square(tf.linalg.matvec(w2, x) + b2))
        opt2.apply_gradients(zip(tape.gradient(loss, [w2, b2]), [w2, b2]))
    _close(w, w2)
    _close(b, b2)


def test_a_schedule_as_learning_rate_matches_keras_eagerly_and_traced():
    w, b = _variables()
    opt = optimizers.SGD(schedules.ExponentialDecay(0.1, 2, 0.5), momentum=0.5)
    for t in range(4):
        opt.apply_gradients(zip(_grads(t), [w, b]))
    _close(w, SGD_SCHEDULE[0])
    _close(b, SGD_SCHEDULE[1])
    assert [_slot_name(v) for v in opt.variables] == ["iteration", "kernel_0_momentum", "bias_0_momentum"]

    w, b = _variables()
    opt = optimizers.Adam(schedules.PolynomialDecay(0.05, 3, 0.01, power=2.0))

    @tf.function
    def train_step(gw, gb):
        opt.apply_gradients([(gw, w), (gb, b)])

    for t in range(4):
        train_step(*_grads(t))
    assert train_step.experimental_get_tracing_count() == 1  # the step is a value, not a constant
    _close(w, ADAM_SCHEDULE[0])
    _close(b, ADAM_SCHEDULE[1])


def test_setting_the_learning_rate_changes_the_operand_not_the_program():
    w, b = _variables()
    opt = optimizers.SGD(0.1, momentum=0.9)

    @tf.function
    def train_step(gw, gb):
        opt.apply_gradients([(gw, w), (gb, b)])

    for t in range(4):
        opt.learning_rate = 0.1 / (t + 1)
        train_step(*_grads(t))
    assert train_step.experimental_get_tracing_count() == 1
    _close(w, SGD_LR_SET[0])
    _close(b, SGD_LR_SET[1])
    assert isinstance(opt.learning_rate, tf.Variable)
    assert opt.learning_rate.numpy() == np.float32(0.025)

    # eagerly: one kernel per rule, whatever the learning rate
    w, b = _variables()
    opt = optimizers.SGD(0.1, momentum=0.9)
    opt.apply_gradients(zip(_grads(0), [w, b]))
    kernels = {k for k in _KERNELS if k[0] == "optimizer_update"}
    for t in range(1, 4):
        opt.learning_rate = 0.1 / (t + 1)
        opt.apply_gradients(zip(_grads(t), [w, b]))
    assert {k for k in _KERNELS if k[0] == "optimizer_update"} == kernels
    _close(w, SGD_LR_SET[0])


def test_a_tf_variable_as_learning_rate_is_shared():
    lr = tf.Variable(0.1, trainable=False)
    opt = optimizers.SGD(lr)
    assert opt.learning_rate is lr and all(v is not lr for v in opt.variables)
    w, b = _variables()
    lr.assign(0.05)
    opt.apply_gradients(zip(_grads(0), [w, b]))
    _close(b, np.float32(B0) - np.float32(0.05) * np.float32(GB[0]))


def test_weight_decay_exclusion_matches_keras():
    w, b = _variables()
    opt = optimizers.AdamW(learning_rate=0.01, weight_decay=0.1)
    opt.exclude_from_weight_decay(var_names=["bias"])
    for t in range(4):
        opt.apply_gradients(zip(_grads(t), [w, b]))
    _close(w, ADAMW_EXCLUDE_BIAS[0])
    _close(b, ADAMW_EXCLUDE_BIAS[1])
    with pytest.raises(ValueError, match="before the optimizer is built"):
        opt.exclude_from_weight_decay(var_list=[w])


def test_a_none_gradient_skips_its_variable_with_keras_warning():
    w, b = _variables()
    opt = optimizers.Adam(0.01)
    with pytest.warns(UserWarning, match=re.escape("Gradients do not exist for variables ['bias:0']")):
        for t in range(3):
            opt.apply_gradients([(tf.constant(GW[t]), w), (None, b)])
    _close(w, ADAM_NONE_GRAD[0])
    _close(b, ADAM_NONE_GRAD[1])
    assert opt.iterations.numpy() == 3
    with pytest.raises(ValueError, match="No gradients provided for any variable"):
        opt.apply_gradients([(None, w), (None, b)])


def test_apply_and_build():
    w, b = _variables()
    opt = optimizers.RMSprop(0.01, centered=True)
    with pytest.raises(ValueError, match="must already be built"):
        opt.apply(list(_grads(0)))
    opt.build([w, b])
    assert opt.built and len(opt.variables) == 2 + 4
    for t in range(4):
        opt.apply(list(_grads(t)))
    _close(w, CASES["rmsprop_centered"][2])
    with pytest.raises(ValueError, match="Unknown variable"):
        opt.apply_gradients([(tf.constant(1.0), tf.Variable(1.0))])
    with pytest.raises(ValueError, match="one-to-on"):
        opt.apply([tf.constant(GW[0])])


def test_float64_variables_take_the_learning_rate_in_their_dtype():
    v = tf.Variable(np.float64([1.0, 2.0]))
    opt = optimizers.Adam(0.1)
    opt.apply_gradients([(tf.constant(np.float64([0.5, -0.5])), v)])
    assert v.dtype == tf.float64 and opt.variables[2].dtype == tf.float64
    np.testing.assert_allclose(v.numpy(), [0.9, 2.1], rtol=1e-6)


def test_constraints_apply_after_the_update():
    v = tf.Variable([0.5, -0.5], constraint=lambda x: tf.clip_by_value(x, 0.0, 1.0))
    optimizers.SGD(1.0).apply_gradients([(tf.constant([-2.0, 1.0]), v)])
    assert v.numpy().tolist() == [1.0, 0.0]


def test_tape_loop_trains_the_seed_linear_model():
    """The seed's training loop (seed/examples/20_training_loop.py) with a Keras optimizer."""
    x = tf.cast(tf.linspace(-2, 2, 201), tf.float32)
    y = x * 3.0 + 2.0

    class MyModel(tf.Module):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.w = tf.Variable(5.0)
            self.b = tf.Variable(0.0)

        def __call__(self, x):
            return self.w * x + self.b

    model = MyModel()
    opt = tf.keras.optimizers.SGD(0.1)
    for _ in range(60):
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean(tf.square(y - model(x)))
        grads = tape.gradient(loss, [model.w, model.b])
        opt.apply_gradients(zip(grads, [model.w, model.b]))
    assert abs(model.w.numpy() - 3.0) < 1e-3 and abs(model.b.numpy() - 2.0) < 1e-3
    assert opt.iterations.numpy() == 60


def test_minimize_with_a_callable_loss_and_with_a_tape():
    w = tf.Variable(4.0)
    opt = optimizers.SGD(0.25)
    opt.minimize(lambda: tf.square(w - 1.0), [w])  # grad 6: w = 4 - 1.5
    assert w.numpy() == 2.5
    with tf.GradientTape() as tape:
        loss = tf.square(w - 1.0)
    assert opt.minimize(loss, lambda: [w], tape=tape) is opt.iterations  # grad 3
    assert w.numpy() == 1.75 and opt.iterations.numpy() == 2
    with pytest.raises(ValueError, match="`tape` is required"):
        opt.minimize(loss, [w])


def test_custom_optimizer_with_update_step_runs_per_variable():
    class PlainSGD(optimizers.Optimizer):
        def __init__(self, learning_rate=0.1, **kwargs):
            super().__init__(learning_rate=learning_rate, **kwargs)

        def update_step(self, gradient, variable, learning_rate):
            self.assign_sub(variable, gradient * tf.cast(learning_rate, variable.dtype))

    w, b = _variables()
    opt = PlainSGD(0.1, weight_decay=0.05)
    for t in range(4):
        opt.apply_gradients(zip(_grads(t), [w, b]))
    _close(w, CASES["sgd_weight_decay"][2])
    _close(b, CASES["sgd_weight_decay"][3])
    assert opt.iterations.numpy() == 4 and opt.name == "plain_sgd"


def test_argument_checks():
    with pytest.raises(ValueError, match="Only one of `clipnorm`, `clipvalue` and `global_clipnorm`"):
        optimizers.SGD(clipnorm=1.0, clipvalue=1.0)
    with pytest.raises(ValueError, match="`weight_decay` must be a float"):
        optimizers.AdamW(weight_decay=None)
    with pytest.raises(ValueError, match="`momentum` must be a float between"):
        optimizers.SGD(momentum=1.5)
    with pytest.raises(ValueError, match="Argument\\(s\\) not recognized"):
        optimizers.Adam(bogus=1)
    with pytest.raises(ValueError, match="Argument `learning_rate` should be float"):
        optimizers.Adam(learning_rate="fast")
    opt = optimizers.SGD(schedules.ExponentialDecay(0.1, 10, 0.9))
    with pytest.raises(TypeError, match="not settable"):
        opt.learning_rate = 0.5


# --- configs ---

@pytest.mark.parametrize("case", ["sgd_nesterov", "adam_amsgrad", "adamw", "rmsprop_centered_momentum",
                                  "adagrad_init", "sgd_global_clipnorm"])
def test_get_config_and_from_config_round_trip(case):
    cls, kwargs = CASES[case][:2]
    opt = getattr(optimizers, cls)(name="opt", **kwargs)
    config = opt.get_config()
    for key, value in kwargs.items():
        assert config[key] == (float(np.float32(value)) if key == "learning_rate" else value)
    again = type(opt).from_config(config)
    assert type(again) is type(opt) and again.get_config() == config
    restored = optimizers.deserialize(optimizers.serialize(opt))
    assert restored.get_config() == config


def test_config_keys_and_values_are_keras_ones():
    # Printed by TF 2.21 / Keras 3.15.1: tf.keras.optimizers.get("sgd").get_config()
    config = optimizers.get("sgd").get_config()
    assert re.fullmatch(r"sgd(_\d+)?", config.pop("name"))  # "sgd" for the first one made
    assert config == {
        "learning_rate": 0.009999999776482582, "weight_decay": None, "clipnorm": None,
        "global_clipnorm": None, "clipvalue": None, "use_ema": False, "ema_momentum": 0.99,
        "ema_overwrite_frequency": None, "loss_scale_factor": None, "gradient_accumulation_steps": None,
        "momentum": 0.0, "nesterov": False}
    opt = optimizers.SGD(learning_rate=schedules.ExponentialDecay(0.1, 10, 0.5))
    assert opt.get_config()["learning_rate"] == {
        "module": "keras.optimizers.schedules", "class_name": "ExponentialDecay",
        "config": {"initial_learning_rate": 0.1, "decay_steps": 10, "decay_rate": 0.5,
                   "staircase": False, "name": "ExponentialDecay"},
        "registered_name": None}
    again = optimizers.SGD.from_config(opt.get_config())
    assert isinstance(again._learning_rate, schedules.ExponentialDecay)
    assert float(again.learning_rate) == pytest.approx(0.1)


@pytest.mark.parametrize("name, cls", [("sgd", "SGD"), ("adam", "Adam"), ("AdamW", "AdamW"),
                                       ("rmsprop", "RMSprop"), ("adagrad", "Adagrad")])
def test_get_by_name(name, cls):
    opt = optimizers.get(name)
    assert type(opt) is getattr(optimizers, cls)


def test_get_by_dict_and_instance():
    opt = optimizers.get({"class_name": "Adam", "config": {"learning_rate": 0.5, "beta_1": 0.8}})
    assert isinstance(opt, optimizers.Adam) and opt.beta_1 == 0.8
    assert float(opt.learning_rate.numpy()) == 0.5
    assert optimizers.get(opt) is opt
    assert optimizers.get(None) is None
    with pytest.raises(ValueError):
        optimizers.get("no_such_optimizer")
    with pytest.raises(ValueError, match="Could not interpret optimizer identifier"):
        optimizers.get(42)


def test_default_names_are_made_unique_as_keras_does():
    first, second = optimizers.RMSprop(), optimizers.RMSprop()
    assert second.name != first.name and second.name.startswith(first.name.split("_")[0])
    assert first.iterations.name == f"{first.name}/iteration:0"


# --- schedules ---

@pytest.mark.parametrize("case", list(SCHEDULES))
def test_schedule_values_match_keras(case):
    cls, kwargs, expected = SCHEDULES[case]
    schedule = getattr(schedules, cls)(**kwargs)
    values = [float(schedule(tf.constant(step, tf.int64))) for step in SCHEDULE_STEPS]
    _close(values, expected)
    again = schedules.deserialize(schedules.serialize(schedule))
    assert type(again) is type(schedule) and again.get_config() == schedule.get_config()


def test_a_schedule_traced_in_a_tf_function():
    schedule = schedules.CosineDecay(0.0, 20, warmup_target=0.2, warmup_steps=5)
    f = tf.function(schedule.__call__)
    values = [float(f(tf.constant(step, tf.int64))) for step in SCHEDULE_STEPS]
    assert f.experimental_get_tracing_count() == 1
    _close(values, SCHEDULES["cosine_warmup"][2])


def test_schedule_argument_checks():
    with pytest.raises(ValueError, match="`decay_steps` must be > 0"):
        schedules.ExponentialDecay(0.1, 0, 0.5)
    with pytest.raises(ValueError, match="1 less than the length of values"):
        schedules.PiecewiseConstantDecay([1, 2], [0.1, 0.2])
    with pytest.raises(NotImplementedError):
        schedules.LearningRateSchedule()(1)
