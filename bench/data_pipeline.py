"""tf.data on MNIST-shaped data against plain numpy slicing of the same arrays, in one run.

    python bench/data_pipeline.py [--quick] [--json PATH]

Data: 60000 x 28 x 28 uint8 images and 60000 uint8 labels (random, fixed seed).

    tf.data   Dataset.from_tensor_slices((images, labels))
                .map(lambda x, y: (tf.cast(x, tf.float32) / 255.0, tf.cast(y, tf.int64)))
                .shuffle(10000).batch(128)          (+ .prefetch(AUTOTUNE) as a second variant)
              iterated in Python; each batch is a pair of eager tensors
    numpy     per epoch a permutation; per batch images[idx].astype(float32) / 255 and
              labels[idx].astype(int64), turned into jax arrays (jax.device_put), which is what
              a consumer of tensors gets from tf.data

Batches per second: best of R epochs (469 batches each; the last one short), each variant run
once per repeat, interleaved; every batch is blocked on before the next (np.asarray of the
jax array). Target: tf.data at least half of numpy's rate (ratio >= 0.5).
"""
import argparse
import json
import time

import jax
import numpy as np

import tfx_lite as tf

BATCH, SHUFFLE = 128, 10000
TARGET = 0.5


def make_data(n):
    rng = np.random.default_rng(0)
    return rng.integers(0, 256, (n, 28, 28), dtype=np.uint8), rng.integers(0, 10, (n,), dtype=np.uint8)


def tf_data_pipeline(images, labels, prefetch):
    ds = tf.data.Dataset.from_tensor_slices((images, labels))
    ds = ds.map(lambda x, y: (tf.cast(x, tf.float32) / 255.0, tf.cast(y, tf.int64)))
    ds = ds.shuffle(SHUFFLE).batch(BATCH)
    return ds.prefetch(tf.data.AUTOTUNE) if prefetch else ds


def run_tf_data(ds):
    count = 0
    for x, y in ds:
        np.asarray(x._value), np.asarray(y._value)
        count += 1
    return count


def run_numpy(images, labels, rng):
    order = rng.permutation(len(images))
    count = 0
    for start in range(0, len(images), BATCH):
        idx = order[start:start + BATCH]
        x = jax.device_put(images[idx].astype(np.float32) / 255)
        y = jax.device_put(labels[idx].astype(np.int64))
        np.asarray(x), np.asarray(y)
        count += 1
    return count


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="10000 examples, 2 repeats")
    parser.add_argument("--json", help="write the results here")
    args = parser.parse_args()
    n, repeats = (10000, 2) if args.quick else (60000, 5)
    images, labels = make_data(n)
    rng = np.random.default_rng(1)
    variants = {
        "numpy": lambda: run_numpy(images, labels, rng),
        "tf.data": lambda ds=tf_data_pipeline(images, labels, False): run_tf_data(ds),
        "tf.data+prefetch": lambda ds=tf_data_pipeline(images, labels, True): run_tf_data(ds),
    }
    for run in variants.values():  # warm: traces, compiles
        run()
    best = {name: float("inf") for name in variants}
    batches = {}
    for _ in range(repeats):
        for name, run in variants.items():
            start = time.perf_counter()
            batches[name] = run()
            best[name] = min(best[name], time.perf_counter() - start)
    rates = {name: batches[name] / best[name] for name in variants}
    print(f"MNIST-shaped pipeline: {n} examples, map(cast, /255), shuffle({SHUFFLE}), batch({BATCH}); "
          f"jax {jax.__version__}, {jax.default_backend()}, best of {repeats}")
    print("| variant | batches/s | ratio to numpy |")
    print("|---|---|---|")
    for name in variants:
        print(f"| {name} | {rates[name]:.0f} | {rates[name] / rates['numpy']:.2f} |")
    ratio = max(rates["tf.data"], rates["tf.data+prefetch"]) / rates["numpy"]
    print(f"target: tf.data >= {TARGET} x numpy: {'met' if ratio >= TARGET else 'NOT met'} ({ratio:.2f})")
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"rates": rates, "examples": n}, f, indent=1)


if __name__ == "__main__":
    main()
