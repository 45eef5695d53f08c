"""tf.distribute.MirroredStrategy data-parallel training on 1, 2 and 4 devices, next to a raw
jax.jit step sharded the same way, measured in the same process.

    python bench/data_parallel.py [--quick] [--json PATH]

CPU-SIMULATED: the devices are virtual CPU devices (JAX_PLATFORMS=cpu,
XLA_FLAGS=--xla_force_host_platform_device_count=4), all sharing this machine's cores. There is
no more compute with 4 devices than with 1, so no speedup is expected: what the numbers show is
the cost of the partitioned step (splitting the batch, per-device programs, the all-reduce of
the gradients) and of tfx_lite's distribution layer on top of it, not the scaling on real
accelerators.

JAX fixes its device count when it starts, so this process starts no JAX itself: it runs one
child per device count K (`python bench/data_parallel.py --child K`, always with 4 virtual
CPU devices, the strategy using the first K) one after another, and collects one JSON line
from each. Every child uses the same data and the same seed.

Model: an MLP 784 -> Dense(256, relu) -> Dense(10) (logits), sparse softmax cross-entropy,
Adam (learning rate 1e-3, epsilon 1e-7), global batch 256. Data: N random float32 [0, 1)
MNIST-shaped (flattened) images and int32 labels in [0, 10) (N = 16384; 4096 with --quick; N is
a multiple of 256: every batch is full and splits evenly over 1, 2 or 4 replicas). Workloads:

  fit (no strategy)     K = 1 only: the plain model, compiled and fit outside any strategy
  fit                   the model created and compiled in
                        `tf.distribute.MirroredStrategy(devices=["/cpu:0", ..., f"/cpu:{K-1}"]).scope()`;
                        `model.fit(x, y, batch_size=256, epochs=1, shuffle=False, verbose=0)` on
                        numpy arrays: each batch is sharded over the replicas and XLA
                        partitions the compiled train step (GSPMD)
  custom loop           the TF guide's custom training loop: `strategy.run(step, args=(batch,))`
                        inside a `@tf.function dist_step`, reduced with
                        `strategy.reduce(SUM, per_replica, axis=None)`, over
                        `strategy.experimental_distribute_dataset(tf.data ... .batch(256))`;
                        `step` is a GradientTape step with loss
                        `tf.reduce_sum(per_example_loss) / 256` and tf.keras.optimizers.Adam
  raw jax.jit           the same MLP by hand: one `jax.jit` step (value_and_grad + optax.adam),
                        params replicated (`NamedSharding(mesh, P())`), each numpy batch
                        `jax.device_put` with `NamedSharding(mesh, P("batch"))` on a mesh of the
                        first K devices. The 4-device child also runs it on 1 device, for a
                        same-process 4-vs-1 comparison of raw JAX. (optax.adam puts epsilon
                        in a slightly different place than Keras' Adam; irrelevant to timing.)
                        Each step waits for the step before the previous one to finish (at most
                        two in flight): with 4 virtual devices on 2 cores, letting a whole epoch
                        of 64 steps queue up makes XLA:CPU's all-reduce rendezvous starve and
                        abort the process after 40 s ("Expected 4 threads to join the
                        rendezvous, but only 3 of them arrived"; jax 0.10.2, 2 cores, 32 steps
                        queued were fine).

Known failure, not worked around: `model.fit` itself queues its steps the same way, and on 2
cores an epoch of 256 steps (N = 65536) on 4 devices aborts in the same rendezvous (128 steps
did not); N here stays at 64 steps per epoch.

samples/s (steady state): N / the best of R epochs per workload, after the warm-up (first)
epoch; the workloads take turns inside each repeat in a rotating order; GC off inside a timed
epoch; an epoch ends with its mean loss as a Python float. JAX compile events are counted over
the timed epochs (a warning is printed when any happen: a retrace or recompile per epoch).
ratio = (time per sample) / (raw jax.jit's time per sample in the same child, same device
count): > 1 is slower than raw JAX.

First epoch: each workload's first epoch with a fresh model (not counting model creation) from
cold caches (jax.clear_caches() plus tfx_lite's kernel and executable caches): tracing, XLA
compilation and one epoch. One try.

Check (not timed): the weights after the first epoch of every fit and custom-loop run, for each
K, against the 1-device `fit` (from the same initial weights, the same batches in the same
order): max |difference| <= 1e-4, else a DISAGREE line and exit status 1.

--quick: N = 4096 and R = 5 (else R = 7). On 2 CPU cores the whole run takes about 40 s
(about 65 s without --quick).
"""
import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time

import numpy as np

# jax, tfx_lite and harness (which imports jax) are imported in the children only.

DEVICE_COUNTS = (1, 2, 4)
VIRTUAL_DEVICES = 4
GLOBAL_BATCH = 256
IN, HIDDEN, OUT = 784, 256, 10
LEARNING_RATE, EPSILON = 1e-3, 1e-7
SEED = 1234
W_ATOL = 1e-4
RESULT = "DATA_PARALLEL_RESULT "
CHILD_TIMEOUT = 600
RUNNING = "data_parallel: running "  # progress lines on a child's stderr
FIT_PLAIN, FIT, LOOP, RAW = "fit (no strategy)", "fit", "custom loop (strategy.run)", "raw jax.jit"
ORDER = (FIT_PLAIN, FIT, LOOP, RAW)


def make_data(n):
    rng = np.random.default_rng(0)
    x = rng.random((n, IN), dtype=np.float32)
    y = rng.integers(0, OUT, size=(n,)).astype(np.int32)
    return x, y


# ============================================================================ child: one K

def child(k, n, repeats, weights_dir):
    import gc

    import jax
    import jax.numpy as jnp
    import optax
    from jax.sharding import Mesh, NamedSharding, PartitionSpec as P

    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import tfx_lite as tf
    from harness import CompileCounter, clear_caches, machine_line

    x, y = make_data(n)

    def mlp():
        tf.random.set_seed(SEED)
        return tf.keras.Sequential([tf.keras.Input((IN,)),
                                    tf.keras.layers.Dense(HIDDEN, activation="relu"),
                                    tf.keras.layers.Dense(OUT)])

    class Fit:
        def __init__(self, strategy):
            self.strategy = strategy
            if strategy is None:
                self._build()
            else:
                with strategy.scope():
                    self._build()

        def _build(self):
            self.model = mlp()
            self.model.compile(optimizer=tf.keras.optimizers.Adam(LEARNING_RATE, epsilon=EPSILON),
                               loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True))

        def epoch(self):
            history = self.model.fit(x, y, batch_size=GLOBAL_BATCH, epochs=1, verbose=0, shuffle=False)
            return float(history.history["loss"][-1])

        def weights(self):
            return [np.asarray(w) for w in self.model.get_weights()]

    class CustomLoop:
        def __init__(self, strategy):
            self.strategy = strategy
            with strategy.scope():
                self.model = mlp()
                self.optimizer = tf.keras.optimizers.Adam(LEARNING_RATE, epsilon=EPSILON)
                loss_object = tf.keras.losses.SparseCategoricalCrossentropy(
                    from_logits=True, reduction=tf.keras.losses.Reduction.NONE)
            dataset = tf.data.Dataset.from_tensor_slices((x, y)).batch(GLOBAL_BATCH)
            self.dist_dataset = strategy.experimental_distribute_dataset(dataset)
            model, optimizer = self.model, self.optimizer

            def step(batch):
                features, labels = batch
                with tf.GradientTape() as tape:
                    logits = model(features, training=True)
                    loss = tf.reduce_sum(loss_object(labels, logits)) / GLOBAL_BATCH
                grads = tape.gradient(loss, model.trainable_variables)
                optimizer.apply_gradients(zip(grads, model.trainable_variables))
                return loss

            @tf.function
            def dist_step(batch):
                per_replica = strategy.run(step, args=(batch,))
                return strategy.reduce(tf.distribute.ReduceOp.SUM, per_replica, axis=None)
            self.dist_step = dist_step

        def epoch(self):
            total, batches = 0.0, 0
            for batch in self.dist_dataset:
                total += self.dist_step(batch)
                batches += 1
            return float(total) / batches

        def weights(self):
            return [np.asarray(w) for w in self.model.get_weights()]

    def forward(params, features):
        w1, b1, w2, b2 = params
        return jax.nn.relu(features @ w1 + b1) @ w2 + b2

    def loss_fn(params, features, labels):
        return optax.softmax_cross_entropy_with_integer_labels(forward(params, features), labels).mean()

    class RawJax:
        def __init__(self, devices):
            mesh = Mesh(np.array(devices), ("batch",))
            self.batch_sharding = NamedSharding(mesh, P("batch"))
            replicated = NamedSharding(mesh, P())
            self.params = jax.device_put(tuple(jnp.asarray(w) for w in mlp().get_weights()), replicated)
            optimizer = optax.adam(LEARNING_RATE, eps=EPSILON)
            self.opt_state = jax.device_put(optimizer.init(self.params), replicated)

            def train_step(params, opt_state, features, labels):
                loss, grads = jax.value_and_grad(loss_fn)(params, features, labels)
                updates, opt_state = optimizer.update(grads, opt_state, params)
                return optax.apply_updates(params, updates), opt_state, loss
            self.step = jax.jit(train_step)

        def epoch(self):
            losses = []
            for i in range(0, n, GLOBAL_BATCH):
                if losses:  # at most two steps in flight: see "raw jax.jit" in the docstring
                    losses[-1].block_until_ready()
                features = jax.device_put(x[i:i + GLOBAL_BATCH], self.batch_sharding)
                labels = jax.device_put(y[i:i + GLOBAL_BATCH], self.batch_sharding)
                self.params, self.opt_state, loss = self.step(self.params, self.opt_state, features, labels)
                losses.append(loss)
            jax.block_until_ready(self.params)
            return float(jnp.mean(jnp.stack(losses)))

    devices = [f"/cpu:{i}" for i in range(k)]
    makers = []  # (workload, devices, make)
    if k == 1:
        makers.append((FIT_PLAIN, 1, lambda: Fit(None)))
    makers.append((FIT, k, lambda: Fit(tf.distribute.MirroredStrategy(devices=devices))))
    makers.append((LOOP, k, lambda: CustomLoop(tf.distribute.MirroredStrategy(devices=devices))))
    makers.append((RAW, k, lambda: RawJax(jax.devices()[:k])))
    if k == VIRTUAL_DEVICES:
        makers.append((RAW, 1, lambda: RawJax(jax.devices()[:1])))

    rows, live = [], []  # live: (row, runner) of the workloads that were made
    for name, count, make in makers:  # all made first: model creation compiles eager kernels once
        row = {"workload": name, "devices": count, "child": k}
        rows.append(row)
        try:
            live.append((row, make()))
        except Exception as error:  # a tfx_lite failure is reported in the table, not hidden
            row["error"] = f"{type(error).__name__}: {error}"

    def announce(row):  # so that the parent can tell which workload a crashed child was running
        print(f"{RUNNING}{row['workload']} on {row['devices']} device(s)", file=sys.stderr, flush=True)

    def attempt(row, fn):
        try:
            return fn()
        except Exception as error:
            row["error"] = f"{type(error).__name__}: {error}"

    for row, runner in live:
        announce(row)
        clear_caches()
        start = time.perf_counter()
        if attempt(row, runner.epoch) is None:
            continue
        row["first_epoch_s"] = time.perf_counter() - start
        if weights_dir and row["workload"] != RAW:
            row["weights_file"] = f"k{k}_{rows.index(row)}.npz"
            np.savez(os.path.join(weights_dir, row["weights_file"]), *runner.weights())
    live = [(row, runner) for row, runner in live if "error" not in row]
    for row, runner in live:  # warm-up epochs, after all the clear_caches() above
        announce(row)
        attempt(row, runner.epoch)

    best = {id(row): float("inf") for row, _ in live}
    for r in range(repeats):
        shift = r % max(len(live), 1)
        for row, runner in live[shift:] + live[:shift]:
            if "error" in row:
                continue
            announce(row)
            gc.disable()
            try:
                with CompileCounter() as counter:
                    start = time.perf_counter()
                    done = attempt(row, runner.epoch)
                    seconds = time.perf_counter() - start
            finally:
                gc.enable()
            if done is not None:
                best[id(row)] = min(best[id(row)], seconds)
                row["timed_compiles"] = row.get("timed_compiles", 0) + counter.counts["compiles"]
                row["timed_traces"] = row.get("timed_traces", 0) + counter.counts["traces"]
    for row, _ in live:
        if "error" not in row:
            row["epoch_s"] = best[id(row)]
            row["samples_per_s"] = n / best[id(row)]
    return {"k": k, "machine": machine_line(), "rows": rows}


# ============================================================================ parent

def run_child(k, n, repeats, weights_dir):
    """The JSON result of a child with 4 virtual CPU devices using K of them; a dict with an
    "error" entry if it fails."""
    flags = re.sub(r"--xla_force_host_platform_device_count=\S+", "", os.environ.get("XLA_FLAGS", ""))
    env = dict(os.environ, JAX_PLATFORMS="cpu",
               XLA_FLAGS=f"{flags} --xla_force_host_platform_device_count={VIRTUAL_DEVICES}".strip())
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [root, env.get("PYTHONPATH")]))
    command = [sys.executable, os.path.abspath(__file__), "--child", str(k), "--n", str(n),
               "--repeats", str(repeats), "--weights-dir", weights_dir]
    try:
        done = subprocess.run(command, env=env, cwd=root, capture_output=True, text=True,
                              timeout=CHILD_TIMEOUT)
    except subprocess.TimeoutExpired:
        return {"k": k, "error": f"child still running after {CHILD_TIMEOUT} s: killed"}
    lines = [line for line in done.stdout.splitlines() if line.startswith(RESULT)]
    if done.returncode != 0 or not lines:
        # XLA's fatal errors end in a native stack trace ("    @ 0x..." lines): show what precedes it
        text = [line for line in (done.stderr or done.stdout).strip().splitlines()
                if not line.lstrip().startswith("@") and "Check failure stack trace" not in line]
        running = [line for line in text if line.startswith(RUNNING)]
        fatal = [line for line in text if line.startswith("F")]  # glog FATAL lines, if any
        text = [line for line in text if not line.startswith(RUNNING)]
        tail = "\n".join(running[-1:] + (fatal[-1:] if fatal else text[-12:]))
        return {"k": k, "error": f"child exited {done.returncode}:\n{tail}"}
    return json.loads(lines[-1][len(RESULT):])


def check_weights(results, weights_dir):
    """Lines comparing every saved first-epoch weights to the 1-device fit's; (lines, ok)."""
    reference = next((row for result in results for row in result.get("rows", [])
                      if row["workload"] == FIT and row["devices"] == 1 and "weights_file" in row), None)
    if reference is None:
        return ["weights: no 1-device fit to compare with"], False
    with np.load(os.path.join(weights_dir, reference["weights_file"])) as f:
        ref = [f[key] for key in sorted(f.files, key=lambda s: int(s.split("_")[1]))]
    lines, ok = [], True
    for result in results:
        for row in result.get("rows", []):
            if "weights_file" not in row or row is reference:
                continue
            with np.load(os.path.join(weights_dir, row["weights_file"])) as f:
                got = [f[key] for key in sorted(f.files, key=lambda s: int(s.split("_")[1]))]
            diff = max(float(np.max(np.abs(a - b))) for a, b in zip(got, ref))
            row["max_weight_diff_vs_1_device_fit"] = diff
            agree = diff <= W_ATOL and len(got) == len(ref)
            ok &= agree
            lines.append(f"{'agree' if agree else 'DISAGREE'}: {row['workload']}, {row['devices']} "
                         f"device(s): max |w - w(fit, 1 device)| after one epoch = {diff:.2e}")
    return lines, ok


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="fewer samples and repeats")
    parser.add_argument("--json", help="write the results here")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--n", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--repeats", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--weights-dir", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child is not None:
        result = child(args.child, args.n, args.repeats, args.weights_dir)
        print(RESULT + json.dumps(result), flush=True)
        return

    n, repeats = (4096, 5) if args.quick else (16384, 7)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as weights_dir:
        results = []
        for k in DEVICE_COUNTS:
            t0 = time.perf_counter()
            results.append(run_child(k, n, repeats, weights_dir))
            results[-1]["child_wall_s"] = time.perf_counter() - t0
        checks, agree = check_weights(results, weights_dir)

    machine = next((r["machine"] for r in results if "machine" in r), "(no child reported)")
    print(machine)
    print(f"CPU-SIMULATED: the devices are {VIRTUAL_DEVICES} virtual CPU devices "
          f"(--xla_force_host_platform_device_count={VIRTUAL_DEVICES}) sharing this machine's "
          f"{os.cpu_count()} core(s): no speedup is expected; the rows show the overhead of the "
          "partitioned step.")
    print(f"MLP {IN}->{HIDDEN}->{OUT}, Adam, global batch {GLOBAL_BATCH}, N = {n}; samples/s: best of "
          f"{repeats} epochs after a warm-up epoch; ratio = time per sample / raw jax.jit's "
          "(same child, same device count; > 1: slower); first epoch: cold caches, fresh model")
    print("| workload | devices | samples/s | ratio to raw JAX | first epoch s |")
    print("|---|---|---|---|---|")
    rows = [row for r in results for row in r.get("rows", [])]
    raw = {(row["child"], row["devices"]): row.get("samples_per_s") for row in rows if row["workload"] == RAW}
    for row in sorted(rows, key=lambda r: (ORDER.index(r["workload"]), r["devices"], r["child"])):
        label = row["workload"]
        if row["workload"] == RAW and row["child"] != row["devices"]:
            label += f" (in the {row['child']}-device child)"
        if "error" in row:
            print(f"| {label} | {row['devices']} | FAILED: {row['error'].splitlines()[0][:150]} | | |")
            continue
        rate = row.get("samples_per_s")
        base = raw.get((row["child"], row["devices"]))
        ratio = f"{base / rate:.2f}" if rate and base else "-"
        print(f"| {label} | {row['devices']} | {rate:,.0f} | {ratio} | {row['first_epoch_s']:.2f} |")
    for r in results:
        if "error" in r:
            print(f"FAILED: the {r['k']}-device child: {r['error']}")
    for row in rows:
        if row.get("timed_compiles"):
            print(f"warning: {row['workload']}, {row['devices']} device(s): {row['timed_compiles']} "
                  f"compile(s), {row['timed_traces']} trace(s) in {repeats} timed epochs")
    for line in checks:
        print(line)
    failed = [row for row in rows if "error" in row]
    for row in failed:
        print(f"FAILED: {row['workload']}, {row['devices']} device(s): {row['error']}")
    print(f"total {time.perf_counter() - started:.1f} s "
          f"({', '.join('%d-device child %.1f s' % (r['k'], r['child_wall_s']) for r in results)})")
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"n": n, "repeats": repeats, "virtual_cpu_devices": VIRTUAL_DEVICES,
                       "cpu_count": os.cpu_count(), "children": results}, f, indent=1)
    if failed or not agree or any("error" in r for r in results):
        sys.exit(1)


if __name__ == "__main__":
    main()
