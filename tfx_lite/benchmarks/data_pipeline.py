"""An MNIST-shaped input pipeline: tf.data against plain numpy slicing.

Data: N x 28 x 28 uint8 images and N uint8 labels (random, fixed seed); N = 60000
(--quick: 10000).

    tf.data         (tfx_lite / tensorflow, the identical program, given the `tf` module)
                    Dataset.from_tensor_slices((images, labels))
                      .map(lambda x, y: (tf.cast(x, tf.float32) / 255.0, tf.cast(y, tf.int64)))
                      .shuffle(10000).batch(128)
                    iterated in Python, each batch's two tensors blocked on with `.numpy()`
    numpy slicing   (framework jax) per epoch a permutation; per batch images[idx] as float32
                    / 255 and labels[idx] as int64, put on the device (jax.device_put: int32
                    unless x64 is on) and blocked on with np.asarray: what a consumer of
                    tensors gets from tf.data

Unit ms/batch: the best of R epochs (N / 128 batches, the last one short) divided by the
batches, after one untimed epoch that is also the check: every example seen once (the
batches' sizes, dtypes float32 / int64 (int32 allowed for the jax baseline), shapes, value
range [0, 1], the sums of the images and the labels equal to numpy's) and the order shuffled.
"""
import numpy as np

from bench_util import measure

FRAMEWORKS = ("tfx_lite", "tensorflow", "jax")
BATCH, SHUFFLE = 128, 10000


def make_data(n):
    rng = np.random.default_rng(0)
    return (rng.integers(0, 256, (n, 28, 28), dtype=np.uint8),
            rng.integers(0, 10, (n,), dtype=np.uint8))


def tf_pipeline(tf, images, labels):
    ds = tf.data.Dataset.from_tensor_slices((images, labels))
    ds = ds.map(lambda x, y: (tf.cast(x, tf.float32) / 255.0, tf.cast(y, tf.int64)))
    return ds.shuffle(SHUFFLE).batch(BATCH)


def tf_epoch(ds, batches=None):
    count = 0
    for x, y in ds:
        x, y = x.numpy(), y.numpy()
        if batches is not None:
            batches.append((x, y))
        count += 1
    return count


def numpy_epoch(jax, images, labels, rng, batches=None):
    order = rng.permutation(len(images))
    count = 0
    for start in range(0, len(images), BATCH):
        idx = order[start:start + BATCH]
        x = np.asarray(jax.device_put(images[idx].astype(np.float32) / 255))
        y = np.asarray(jax.device_put(labels[idx].astype(np.int64)))
        if batches is not None:
            batches.append((x, y))
        count += 1
    return count


def check(batches, images, labels, label_dtypes):
    n = len(images)
    sizes = [len(x) for x, _ in batches]
    want_sizes = [min(BATCH, n - s) for s in range(0, n, BATCH)]
    if sizes != want_sizes:
        return f"batch sizes {sizes[:3]}...{sizes[-2:]} ({sum(sizes)} examples), expected {n}"
    for x, y in batches:
        if (x.dtype != np.float32 or y.dtype not in label_dtypes or x.shape[1:] != (28, 28)
                or y.ndim != 1):
            return f"a batch is {x.dtype}{list(x.shape)}, {y.dtype}{list(y.shape)}"
    if min(float(x.min()) for x, _ in batches) < 0 or max(float(x.max()) for x, _ in batches) > 1:
        return "images outside [0, 1]"
    image_sum = sum(float(x.sum(dtype=np.float64)) for x, _ in batches)
    want = float(images.sum(dtype=np.float64)) / 255
    if not np.isclose(image_sum, want, rtol=1e-6):
        return f"the images sum to {image_sum:.8g}, expected {want:.8g}"
    if sum(int(y.sum()) for _, y in batches) != int(labels.sum(dtype=np.int64)):
        return "the labels differ from the data's (their sum)"
    if np.array_equal(batches[0][1], labels[:len(batches[0][1])].astype(np.int64)):
        return "the first batch is the data's first examples in order: not shuffled"
    return ""


def run(env, quick, rec):
    n, repeat = (10000, 2) if quick else (60000, 3)
    images, labels = make_data(n)
    if env.tf is not None:
        variant = "tf.data"
        ds = tf_pipeline(env.tf, images, labels)
        epoch = lambda batches=None: tf_epoch(ds, batches)  # noqa: E731
    else:
        variant = "numpy slicing"
        rng = np.random.default_rng(1)
        epoch = lambda batches=None: numpy_epoch(env.jax, images, labels, rng, batches)  # noqa: E731
    seen = []
    count = epoch(seen)  # the warm-up epoch (traces the map function), checked
    # tf.data's labels are int64; raw JAX (without jax_enable_x64) puts int64 as int32
    note = check(seen, images, labels, (np.int64,) if env.tf is not None else (np.int64, np.int32))
    del seen
    timed = measure([(variant, epoch, lambda outs: None)], 0.0, repeat, warmup=0, number=1)
    seconds, _ = timed[variant]
    rec.add(f"{n} examples, batch {BATCH}", variant, seconds / count * 1e3, "ms/batch", True,
            repeat, note)
