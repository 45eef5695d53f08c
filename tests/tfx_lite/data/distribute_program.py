"""tf.distribute on 4 virtual CPU devices: strategies, scopes, distributed datasets, reduce, run
with replica ids, and data-parallel training (a custom loop with strategy.run and model.fit)
from fixed weights, whose losses and weights must equal one-device training's."""
import numpy as np

from program import rounded, run, tf

cpus = tf.config.list_physical_devices("CPU")
tf.config.set_logical_device_configuration(cpus[0], [tf.config.LogicalDeviceConfiguration()] * 4)

strategy = tf.distribute.MirroredStrategy()
print("replicas", strategy.num_replicas_in_sync)
print("devices", strategy.extended.worker_devices)
two = tf.distribute.MirroredStrategy(["/cpu:0", "/cpu:1"])
print("two replicas", two.num_replicas_in_sync)
print("outside", tf.distribute.has_strategy(), tf.distribute.in_cross_replica_context(),
      tf.distribute.get_strategy().num_replicas_in_sync)
with strategy.scope():
    v = tf.Variable([1.0, 2.0])
    print("inside", tf.distribute.has_strategy(), tf.distribute.in_cross_replica_context(),
          tf.distribute.get_strategy() is strategy)
    print("variable", rounded(v), v.shape, v.dtype.name)
    v.assign_add([1.0, 1.0])
    print("assigned", rounded(v))

# --- distributed datasets and reductions ---
ds = tf.data.Dataset.from_tensor_slices(np.arange(16, dtype=np.float32)).batch(8)
for batch in strategy.experimental_distribute_dataset(ds):
    print("per replica", [rounded(t) for t in batch.values])
    print("reduce SUM None", rounded(strategy.reduce(tf.distribute.ReduceOp.SUM, batch, axis=None)))
    print("reduce MEAN None", rounded(strategy.reduce("MEAN", batch, axis=None)))
    print("reduce SUM 0", rounded(strategy.reduce("SUM", batch, axis=0)))
    print("reduce MEAN 0", rounded(strategy.reduce("MEAN", batch, axis=0)))
    print("local results", len(strategy.experimental_local_results(batch)))


def scaled_sum(t):
    ctx = tf.distribute.get_replica_context()
    return tf.reduce_sum(t) * tf.cast(ctx.replica_id_in_sync_group + 1, tf.float32)


for batch in strategy.experimental_distribute_dataset(ds):
    result = strategy.run(scaled_sum, args=(batch,))
    print("run", [rounded(t) for t in result.values], rounded(strategy.reduce("SUM", result, axis=None)))
    result = tf.function(lambda b: strategy.reduce("SUM", strategy.run(scaled_sum, args=(b,)), axis=None))(batch)
    print("run in tf.function", rounded(result))


def all_reduced(t):
    return tf.distribute.get_replica_context().all_reduce("SUM", tf.reduce_sum(t))


for batch in strategy.experimental_distribute_dataset(ds):
    print("all_reduce", [rounded(t) for t in strategy.run(all_reduced, args=(batch,)).values])

values = strategy.experimental_distribute_values_from_function(
    lambda ctx: tf.constant(float(ctx.replica_id_in_sync_group)))
print("values from function", [rounded(t) for t in values.values],
      rounded(strategy.reduce("SUM", values, axis=None)))
run("reduce a plain tensor SUM", lambda: strategy.reduce("SUM", tf.constant(2.0), axis=None))

# --- training: one device vs four replicas, from the same weights and batches ---
rng = np.random.default_rng(0)
x = rng.normal(size=(64, 8)).astype(np.float32)
y = rng.normal(size=(64, 1)).astype(np.float32)
weights = [(rng.normal(size=(8, 16)) * 0.3).astype(np.float32), np.zeros(16, np.float32),
           (rng.normal(size=(16, 1)) * 0.3).astype(np.float32), np.zeros(1, np.float32)]
GLOBAL_BATCH = 16


def model_and_optimizer():
    model = tf.keras.Sequential([tf.keras.Input((8,)), tf.keras.layers.Dense(16, activation="relu"),
                                 tf.keras.layers.Dense(1)])
    model.set_weights(weights)
    return model, tf.keras.optimizers.SGD(0.1)


def custom_loop(strategy):
    with strategy.scope():
        model, optimizer = model_and_optimizer()

    def step(inputs):
        xb, yb = inputs
        with tf.GradientTape() as tape:
            per_example = tf.reduce_sum((model(xb) - yb) ** 2, axis=1)
            loss = tf.reduce_sum(per_example) / GLOBAL_BATCH
        grads = tape.gradient(loss, model.trainable_variables)
        optimizer.apply_gradients(zip(grads, model.trainable_variables))
        return loss

    @tf.function
    def distributed_step(inputs):
        return strategy.reduce("SUM", strategy.run(step, args=(inputs,)), axis=None)

    data = tf.data.Dataset.from_tensor_slices((x, y)).batch(GLOBAL_BATCH)
    losses = [round(float(distributed_step(b)), 4) for b in strategy.experimental_distribute_dataset(data)]
    return losses, [np.round(w, 4).tolist() for w in model.get_weights()]


one = tf.distribute.OneDeviceStrategy("/cpu:0")
losses_one, weights_one = custom_loop(one)
losses_four, weights_four = custom_loop(strategy)
print("custom loop losses", losses_one, losses_four == losses_one)
print("custom loop weights equal", weights_four == weights_one, rounded(np.sum(weights_one[0])))


def fit(strategy):
    with strategy.scope():
        model, _ = model_and_optimizer()
        model.compile(optimizer=tf.keras.optimizers.Adam(0.01), loss="mse")
    history = model.fit(x, y, batch_size=GLOBAL_BATCH, epochs=3, shuffle=False, verbose=0)
    return [round(v, 4) for v in history.history["loss"]], [np.round(w, 4) for w in model.get_weights()]


fit_losses_one, fit_weights_one = fit(one)
fit_losses_four, fit_weights_four = fit(strategy)
print("fit losses", fit_losses_one, fit_losses_four == fit_losses_one)
print("fit weights close", all(np.allclose(a, b, atol=2e-4) for a, b in zip(fit_weights_one, fit_weights_four)),
      rounded(float(np.sum(fit_weights_one[2]))))
with strategy.scope():
    model = tf.keras.Sequential([tf.keras.Input((8,)), tf.keras.layers.Dense(2)])
print("model strategy", model.distribute_strategy is strategy)
