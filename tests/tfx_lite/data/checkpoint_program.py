"""tf.train.Checkpoint and tf.train.CheckpointManager: save/write/read/restore of tf.Module
variables (submodule, list, dict), the `checkpoint` state file, list_variables/load_checkpoint,
restore status assertions, restore-on-create (tf.Module, an unbuilt Keras model, Adam slots),
errors; checkpoint_program.tf.txt is what TensorFlow 2.21 printed."""
import os
import tempfile

import numpy as np

from program import rounded as r, tf


def attempt(what, fn, message=True, replace=None, cut=None):
    """Prints the result, or the error's type and (with message) its first line, up to `cut`."""
    try:
        print(what, "->", fn())
    except Exception as e:  # noqa: BLE001
        text = (str(e).splitlines() or [""])[0] if message else ""
        if cut:
            text = text.split(cut)[0]
        if replace:
            text = text.replace(replace, "<dir>")
        print(f"{what} -> {type(e).__name__} {text}".rstrip())


def base(path):
    return None if path is None else os.path.basename(path)


class Sub(tf.Module):
    def __init__(self):
        super().__init__()
        self.v = tf.Variable([[1.0, 2.0], [3.0, 4.0]])


class Net(tf.Module):
    def __init__(self):
        super().__init__()
        self.w = tf.Variable([1.0, 2.0, 3.0])
        self.sub = Sub()
        self.items = [tf.Variable(1.0), tf.Variable(2, dtype=tf.int32)]
        self.table = {"k": tf.Variable([0.5], dtype=tf.float64)}

    def values(self):
        return [r(self.w), r(self.sub.v), r(self.items), r(self.table["k"])]


def set_net(net, scale):
    net.w.assign(np.array([1.0, 2.0, 3.0], np.float32) * scale)
    net.sub.v.assign(np.array([[1.0, 2.0], [3.0, 4.0]], np.float32) * scale)
    net.items[0].assign(1.0 * scale)
    net.items[1].assign(2 * int(scale))
    net.table["k"].assign(np.array([0.5]) * scale)


with tempfile.TemporaryDirectory() as d:
    print("# save, write, read, restore")
    net = Net()
    step = tf.Variable(0, dtype=tf.int64)
    ckpt = tf.train.Checkpoint(net=net, step=step)
    prefix = os.path.join(d, "ck")
    p1 = ckpt.save(prefix)
    print("save 1", base(p1), "save_counter", r(ckpt.save_counter), ckpt.save_counter.dtype.name)
    set_net(net, 2)
    step.assign(5)
    p2 = ckpt.save(prefix)
    print("save 2", base(p2), "save_counter", r(ckpt.save_counter))
    print("latest_checkpoint", base(tf.train.latest_checkpoint(d)))
    print("checkpoint state file:")
    with open(os.path.join(d, "checkpoint")) as f:
        print(f.read().replace(d, "<dir>"), end="")
    set_net(net, 3)
    step.assign(9)
    pw = ckpt.write(os.path.join(d, "written"))
    print("write", base(pw), "save_counter", r(ckpt.save_counter))
    print("latest_checkpoint after write", base(tf.train.latest_checkpoint(d)))
    status = ckpt.restore(p1)
    print("restore ck-1", net.values(), r(step), "save_counter", r(ckpt.save_counter))
    status = ckpt.read(pw)
    print("read written", net.values(), r(step), "save_counter", r(ckpt.save_counter))
    ckpt.restore(p2)
    print("restore ck-2", net.values(), r(step), "save_counter", r(ckpt.save_counter))
    p3 = ckpt.save(prefix)
    print("save after restore", base(p3))
    print("latest_checkpoint", base(tf.train.latest_checkpoint(d)), "save_counter", r(ckpt.save_counter))

    print("# list_variables, load_checkpoint")
    for name, shape in tf.train.list_variables(p2):
        print(" ", name, shape)
    print("list_variables of written", [n for n, _ in tf.train.list_variables(pw)])
    reader = tf.train.load_checkpoint(p2)
    print("get_tensor net/w", r(reader.get_tensor("net/w/.ATTRIBUTES/VARIABLE_VALUE")))
    print("get_tensor net/items/1", r(reader.get_tensor("net/items/1/.ATTRIBUTES/VARIABLE_VALUE")))
    print("get_tensor step", r(reader.get_tensor("step/.ATTRIBUTES/VARIABLE_VALUE")))
    print("has_tensor", reader.has_tensor("net/w/.ATTRIBUTES/VARIABLE_VALUE"), reader.has_tensor("nope"))
    shapes = reader.get_variable_to_shape_map()
    dtypes = reader.get_variable_to_dtype_map()
    for name in sorted(shapes):
        if name != "_CHECKPOINTABLE_OBJECT_GRAPH":
            print(" ", name, shapes[name], dtypes[name].name)
    print("object graph in maps", "_CHECKPOINTABLE_OBJECT_GRAPH" in shapes,
          "_CHECKPOINTABLE_OBJECT_GRAPH" in dtypes)
    attempt("get_tensor missing", lambda: reader.get_tensor("nope"), message=False)
    print("load_checkpoint of directory", r(tf.train.load_checkpoint(d).get_tensor("step/.ATTRIBUTES/VARIABLE_VALUE")))

    print("# restore status")
    fresh = Net()
    status = tf.train.Checkpoint(net=fresh, step=tf.Variable(0, dtype=tf.int64)).restore(p2)
    print("assert_consumed is status", status.assert_consumed() is status, fresh.values())
    print("assert_existing_objects_matched is status", status.assert_existing_objects_matched() is status)
    print("expect_partial is status", status.expect_partial() is status)
    status = tf.train.Checkpoint(net=Net()).restore(p2)
    attempt("extra checkpoint value: assert_consumed", lambda: status.assert_consumed(), cut=":")
    print("extra checkpoint value: assert_existing_objects_matched is status",
          status.assert_existing_objects_matched() is status)
    status = tf.train.Checkpoint(net=Net(), step=tf.Variable(0, dtype=tf.int64), extra=tf.Variable(1.0)).restore(p2)
    attempt("extra python object: assert_consumed", lambda: status.assert_consumed(), cut=" Showing")
    attempt("extra python object: assert_existing_objects_matched",
            lambda: status.assert_existing_objects_matched(), cut=" Showing")
    print("expect_partial is status", status.expect_partial() is status)
    status = tf.train.Checkpoint(step=tf.Variable(0, dtype=tf.int64)).read(p2)
    print("read expect_partial is status", status.expect_partial() is status)

    print("# restore on create: tf.Module")

    class Lazy(tf.Module):
        pass

    lazy = Lazy()
    status = tf.train.Checkpoint(net=lazy).read(p2)
    lazy.w = tf.Variable([0.0, 0.0, 0.0])
    print("created after read", r(lazy.w))
    lazy.items = [tf.Variable(0.0)]
    print("list created after read", r(lazy.items))
    lazy.sub = Sub()
    print("submodule created after read", r(lazy.sub.v))

    print("# restore on create: keras model built after read")
    twin = tf.keras.Sequential([tf.keras.layers.Dense(2), tf.keras.layers.Dense(1)])
    x = tf.constant([[1.0, 2.0, 3.0]])
    twin(x)
    twin.set_weights([np.array([[0.1, 0.2], [0.3, -0.4], [0.5, 0.6]], np.float32), np.array([0.1, -0.1], np.float32),
                      np.array([[1.0], [-1.0]], np.float32), np.array([0.25], np.float32)])
    print("twin", r(twin(x)))
    kp = tf.train.Checkpoint(model=twin).write(os.path.join(d, "keras"))
    model = tf.keras.Sequential([tf.keras.layers.Dense(2), tf.keras.layers.Dense(1)])
    status = tf.train.Checkpoint(model=model).read(kp)
    print("unbuilt weights", len(model.weights))
    print("built after read", r(model(x)))
    print("weights", [r(w) for w in model.get_weights()])

    print("# restore on create: adam slots")
    xs = tf.constant([[1.0, 2.0], [3.0, -1.0], [0.5, 0.5], [-2.0, 1.0]])
    ys = tf.constant([[1.0], [2.0], [0.0], [-1.0]])

    def make_model():
        return tf.keras.Sequential([tf.keras.Input(shape=(2,)),
                                    tf.keras.layers.Dense(3, kernel_initializer="ones", activation="tanh"),
                                    tf.keras.layers.Dense(1, kernel_initializer="ones")])

    def train(model, opt, steps):
        losses = []
        for _ in range(steps):
            with tf.GradientTape() as tape:
                loss = tf.reduce_mean(tf.square(model(xs) - ys))
            grads = tape.gradient(loss, model.trainable_variables)
            opt.apply_gradients(zip(grads, model.trainable_variables))
            losses.append(r(loss))
        return losses

    model, opt = make_model(), tf.keras.optimizers.Adam(0.1)
    print("first 2 steps", train(model, opt, 2))
    ap = tf.train.Checkpoint(model=model, optimizer=opt).write(os.path.join(d, "adam"))
    print("iterations", r(opt.iterations))
    print("next 2 steps", train(model, opt, 2))
    model2, opt2 = make_model(), tf.keras.optimizers.Adam(0.1)
    status = tf.train.Checkpoint(model=model2, optimizer=opt2).read(ap)
    print("restored iterations", r(opt2.iterations))
    print("restored 2 steps", train(model2, opt2, 2))
    print("same weights", all(np.allclose(a, b) for a, b in zip(model.get_weights(), model2.get_weights())))

    print("# errors")

    class Wrong(tf.Module):
        def __init__(self):
            super().__init__()
            self.w = tf.Variable([1.0, 2.0], name="w")

    attempt("restore other shape", lambda: tf.train.Checkpoint(net=Wrong()).restore(p2), replace=d)
    attempt("read missing prefix", lambda: tf.train.Checkpoint(net=Net()).read(os.path.join(d, "missing")),
            replace=d)
    attempt("restore missing prefix", lambda: tf.train.Checkpoint(net=Net()).restore(os.path.join(d, "missing")),
            replace=d)
    status = tf.train.Checkpoint(net=Net(), step=tf.Variable(0, dtype=tf.int64)).read(p2)
    attempt("read of a saved checkpoint: assert_consumed", lambda: status.assert_consumed(), cut=":")
    status.expect_partial()
    empty = os.path.join(d, "empty")
    os.makedirs(empty)
    print("latest_checkpoint of empty dir", tf.train.latest_checkpoint(empty))
    print("latest_checkpoint of missing dir", tf.train.latest_checkpoint(os.path.join(d, "nowhere")))

    print("# CheckpointManager")
    md = os.path.join(d, "managed")
    counter = tf.Variable(0)
    mck = tf.train.Checkpoint(counter=counter)
    manager = tf.train.CheckpointManager(mck, md, max_to_keep=2)
    print("before save", manager.checkpoints, manager.latest_checkpoint)
    for i in range(3):
        counter.assign(10 * (i + 1))
        print("save", base(manager.save()))
    print("checkpoints", [base(p) for p in manager.checkpoints], "latest", base(manager.latest_checkpoint))
    print("index files", sorted(f for f in os.listdir(md) if f.endswith(".index")))
    print("directory", manager.directory.replace(d, "<dir>"))
    print("save checkpoint_number=10", base(manager.save(checkpoint_number=10)))
    print("checkpoints", [base(p) for p in manager.checkpoints], "save_counter", r(mck.save_counter))
    print("save after number", base(manager.save()))
    print("index files", sorted(f for f in os.listdir(md) if f.endswith(".index")))
    counter.assign(-1)
    again = tf.train.CheckpointManager(tf.train.Checkpoint(counter=counter), md, max_to_keep=2)
    print("new manager checkpoints", [base(p) for p in again.checkpoints], "latest", base(again.latest_checkpoint))
    print("restore_or_initialize", base(again.restore_or_initialize()), r(counter))
    other = tf.train.CheckpointManager(tf.train.Checkpoint(counter=tf.Variable(0)), os.path.join(d, "fresh"),
                                       max_to_keep=3)
    print("restore_or_initialize fresh", other.restore_or_initialize())
    status = tf.train.Checkpoint(counter=counter).restore(again.latest_checkpoint)
    print("restore latest", r(counter))
    keep = tf.train.CheckpointManager(tf.train.Checkpoint(counter=tf.Variable(3)), os.path.join(d, "all"),
                                      max_to_keep=None)
    print("max_to_keep=None", [base(keep.save()) for _ in range(3)], [base(p) for p in keep.checkpoints])
    prefixed = tf.train.CheckpointManager(tf.train.Checkpoint(counter=tf.Variable(3)), os.path.join(d, "named"),
                                          max_to_keep=1, checkpoint_name="model")
    print("checkpoint_name", [base(prefixed.save()) for _ in range(2)], [base(p) for p in prefixed.checkpoints])
