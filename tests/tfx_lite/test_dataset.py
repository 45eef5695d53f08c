"""tf.data behaviour that TF's printed output cannot show: how the pipeline runs (vectorised
map, index-block shuffle, prefetch thread, cache files) and the errors that name the failing
element and function. Values TF prints are checked by test_dataset_programs.py."""
import numpy as np
import pytest

import tfx_lite as tf


def _values(ds):
    return [np.asarray(v).tolist() for v in ds.as_numpy_iterator()]


def test_a_pure_map_is_traced_once_and_runs_vectorised_with_the_per_element_results():
    traces = []

    def scale(x, y):
        traces.append(1)
        return tf.cast(x, tf.float32) / 255.0, y * 2

    images = np.arange(24, dtype=np.uint8).reshape(6, 2, 2)
    ds = tf.data.Dataset.from_tensor_slices((images, np.arange(6))).map(scale)
    assert ds._function.batch_safe
    for _ in range(2):
        got = list(ds.as_numpy_iterator())
    assert len(traces) == 1
    for i, (x, y) in enumerate(got):
        np.testing.assert_allclose(x, images[i].astype(np.float32) / 255.0, rtol=1e-6)
        assert y == 2 * i
    batched = next(iter(ds.batch(6)))
    np.testing.assert_allclose(batched[0].numpy(), images.astype(np.float32) / 255.0, rtol=1e-6)


def test_batches_of_one_element_keep_their_batch_axis():
    generated = tf.data.Dataset.from_generator(lambda: iter(range(3)), output_signature=tf.TensorSpec([], tf.int64))
    assert [x.shape for x in generated.batch(1)] == [(1,), (1,), (1,)]
    assert [x.shape for x in generated.batch(2)] == [(2,), (1,)]
    assert [x.shape for x in tf.data.Dataset.from_tensors(5).batch(1)] == [(1,)]


def test_a_map_with_random_ops_runs_element_by_element_and_draws_new_numbers_each_time():
    ds = tf.data.Dataset.range(8).map(lambda x: tf.random.uniform([]))
    assert not ds._function.batch_safe
    values = _values(ds)
    assert len(set(values)) == 8


def test_a_map_whose_shapes_follow_values_runs_eagerly_with_an_unknown_dimension():
    ds = tf.data.Dataset.range(4).map(lambda x: tf.range(x))
    assert ds.element_spec == tf.TensorSpec([None], tf.int64)
    assert _values(ds) == [[], [0], [0, 1], [0, 1, 2]]


def test_a_map_that_fails_on_one_element_names_the_element_and_the_function():
    def gen():
        yield [1.0, 2.0, 3.0, 4.0]
        yield [1.0, 2.0, 3.0]

    def to_square(x):
        return tf.reshape(x, [2, 2])

    ds = tf.data.Dataset.from_generator(gen, output_signature=tf.TensorSpec([None], tf.float32)).map(to_square)
    it = iter(ds)
    assert next(it).shape == (2, 2)
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"to_square.*Dataset.map on element 1"):
        next(it)


def test_a_map_function_that_raises_while_tracing_is_named():
    def broken(x):
        raise ValueError("no good")

    with pytest.raises(ValueError, match="no good") as info:
        tf.data.Dataset.range(3).map(broken)
    assert any("'broken'" in note and "Dataset.map" in note for note in info.value.__notes__)


@pytest.mark.parametrize("random_access", [True, False])
def test_shuffle_keeps_the_buffer_semantics(random_access):
    n, k = 200, 10
    base = tf.data.Dataset.range(n) if random_access else \
        tf.data.Dataset.from_generator(lambda: iter(range(n)), output_signature=tf.TensorSpec([], tf.int64))
    assert base._random_access == random_access
    order = _values(base.shuffle(k, seed=7))
    assert sorted(order) == list(range(n))
    assert order != list(range(n))
    # an element enters the buffer only when the output before it has left
    assert all(v < i + k for i, v in enumerate(order))
    assert _values(base.shuffle(1, seed=7)) == list(range(n))


def test_shuffle_seeds_and_reshuffling():
    def pipeline(seed=3, reshuffle=True):
        return tf.data.Dataset.range(50).shuffle(50, seed=seed, reshuffle_each_iteration=reshuffle)

    ds = pipeline()
    first, second = _values(ds), _values(ds)
    assert first != second
    assert _values(pipeline()) == first
    fixed = pipeline(reshuffle=False)
    assert _values(fixed) == _values(fixed)
    epochs = _values(pipeline().repeat(2))
    assert sorted(epochs[:50]) == sorted(epochs[50:]) == list(range(50)) and epochs[:50] != epochs[50:]
    tf.random.set_seed(11)
    a = _values(tf.data.Dataset.range(50).shuffle(50))
    tf.random.set_seed(11)
    assert _values(tf.data.Dataset.range(50).shuffle(50)) == a


def test_prefetch_gives_the_same_elements_and_passes_errors_on():
    ds = tf.data.Dataset.range(100).map(lambda x: x * 3).batch(7)
    assert _values(ds.prefetch(3)) == _values(ds)

    def gen():
        yield 1
        raise RuntimeError("generator broke")

    failing = tf.data.Dataset.from_generator(gen, output_signature=tf.TensorSpec([], tf.int32)).prefetch(2)
    it = iter(failing)
    assert int(next(it)) == 1
    with pytest.raises(tf.errors.InvalidArgumentError, match="RuntimeError: generator broke"):
        next(it)


def test_a_file_cache_is_written_once_and_read_by_a_new_pipeline(tmp_path):
    calls = []

    def gen():
        calls.append(1)
        yield from range(5)

    def pipeline():
        return tf.data.Dataset.from_generator(gen, output_signature=tf.TensorSpec([], tf.int64)) \
            .map(lambda x: x * x).cache(str(tmp_path / "squares"))

    assert _values(pipeline()) == [0, 1, 4, 9, 16]
    assert _values(pipeline()) == [0, 1, 4, 9, 16]
    assert len(calls) == 1
    assert (tmp_path / "squares.index").exists()


def test_a_memory_cache_keeps_only_a_complete_pass():
    calls = []

    def gen():
        calls.append(1)
        yield from range(4)

    ds = tf.data.Dataset.from_generator(gen, output_signature=tf.TensorSpec([], tf.int64)).cache()
    next(iter(ds))
    assert _values(ds) == [0, 1, 2, 3]
    assert _values(ds) == [0, 1, 2, 3]
    assert len(calls) == 2


def test_fit_reads_an_infinite_dataset_for_steps_per_epoch_and_refuses_it_without():
    model = tf.keras.Sequential([tf.keras.Input((1,)), tf.keras.layers.Dense(1)])
    model.compile("sgd", "mse")
    ds = tf.data.Dataset.from_tensor_slices((np.ones((4, 1), np.float32), np.ones((4, 1), np.float32)))
    with pytest.raises(ValueError, match="infinite dataset"):
        model.fit(ds.batch(2).repeat(), epochs=1, verbose=0)
    with pytest.raises(ValueError, match="`y` argument is not supported"):
        model.fit(ds.batch(2), np.ones(4), verbose=0)
    with pytest.raises(ValueError, match="validation_split"):
        model.fit(ds.batch(2), validation_split=0.5, verbose=0)
    history = model.fit(ds.batch(2).repeat(), steps_per_epoch=3, epochs=2, verbose=0)
    assert len(history.history["loss"]) == 2


def test_what_tf_does_with_ragged_elements_and_tfx_lite_does_not_is_refused_by_name(tmp_path):
    rows = tf.data.Dataset.from_tensor_slices(tf.ragged.constant([[1, 2, 3], [4], [], [5, 6]]))
    batches = rows.batch(2)
    refusals = {
        "map": lambda: batches.map(lambda x: x * 2),
        "filter": lambda: batches.filter(lambda x: True),
        "flat_map": lambda: batches.flat_map(lambda x: tf.data.Dataset.from_tensors(x)),
        "reduce": lambda: batches.reduce(np.int32(0), lambda s, x: s),
        "batch": lambda: batches.batch(2),
        "ragged_batch": lambda: batches.ragged_batch(2),
        "window": lambda: rows.window(2),
        "unbatch": lambda: rows.unbatch(),
        r"cache \(to a file\)": lambda: batches.cache(str(tmp_path / "c")),
    }
    for name, make in refusals.items():
        with pytest.raises(NotImplementedError, match=f"Dataset.{name} .*(RaggedTensor|ragged row)"):
            make()
    with pytest.raises(NotImplementedError, match="window .*RaggedTensor"):
        batches.window(2)
    for source in (tf.data.Dataset.from_tensors, tf.data.Dataset.from_tensor_slices):
        with pytest.raises(NotImplementedError, match="RaggedTensor of ragged_rank"):
            source(tf.ragged.constant([[[1], [2, 3]], [[4]]]))
    with pytest.raises(NotImplementedError, match="from_tensors"):
        tf.data.Dataset.from_tensors(tf.ragged.constant([[1], [2, 3]]))
    with pytest.raises(NotImplementedError, match="RaggedTensorSpec"):
        tf.data.Dataset.from_generator(lambda: iter([[1]]), output_signature=tf.RaggedTensorSpec([None], tf.int32, 0))
    ranks = tf.data.Dataset.range(1, 3).map(lambda x: tf.fill([2, x], x))
    with pytest.raises(NotImplementedError, match="ragged_batch .*ragged_rank 2"):
        ranks.ragged_batch(2)
    # what does work around them still does: a memory cache replays the RaggedTensor batches
    cached = batches.cache()
    assert [x.to_list() for x in cached] == [x.to_list() for x in cached] == [[[1, 2, 3], [4]], [[], [5, 6]]]
