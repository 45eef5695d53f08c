"""tf.saved_model.save in this process, tf.saved_model.load in a separate one whose code never
defines the saved classes: variables of a tf.Module and its submodule/list/dict, restored
tf.functions and their traced signatures, the serving signatures (default and explicit),
training after load (restored train_step and an outside GradientTape), a Keras model saved with
tf.saved_model.save and with model.export, and load/save errors;
saved_model_program.tf.txt is what TensorFlow 2.21 printed."""
import os
import subprocess
import sys
import tempfile

import numpy as np

from program import rounded as r, tf


def attempt(what, fn, message=True, replace=None):
    """Prints the result, or the error's type and (with message) its first line."""
    try:
        print(what, "->", fn())
    except Exception as e:  # noqa: BLE001
        text = (str(e).splitlines() or [""])[0] if message else ""
        if replace:
            text = text.replace(replace, "<dir>")
        text = text.split("/{")[0]  # the file names after the directory are each library's own
        print(f"{what} -> {type(e).__name__} {text}".rstrip())


def spec(s):
    """A TensorSpec as (shape, dtype, name)."""
    return (s.shape.as_list() if s.shape.rank is not None else None, s.dtype.name, s.name)


def specs(d):
    """A dict of TensorSpecs, sorted by key."""
    return {k: spec(d[k]) for k in sorted(d)}


def show_variable(label, v):
    print(label, r(v), v.dtype.name, v.shape.as_list(), v.trainable, v.name)


X = tf.constant([1.0, 2.0, 3.0])
XS = tf.constant([[1.0, 2.0], [3.0, -1.0], [0.5, 0.5], [-2.0, 1.0]])
YS = tf.constant([[1.0], [2.0], [0.0], [-1.0]])

if len(sys.argv) > 2 and sys.argv[2] == "load":
    d = sys.argv[3]
    print("# load: module")
    restored = tf.saved_model.load(os.path.join(d, "module"))
    print("call", r(restored(X)))
    print("mul [3]", r(restored.mul(X)))
    print("mul [2] scale=3.0", r(restored.mul(tf.constant([1.0, 2.0]), scale=3.0)))
    attempt("mul [2] scale=2.0", lambda: restored.mul(tf.constant([1.0, 2.0])))
    attempt("mul [4]", lambda: restored.mul(tf.constant([1.0, 2.0, 3.0, 4.0])))
    attempt("call int32", lambda: restored(tf.constant([1, 2], tf.int32)), message=False)
    print("hasattr plain_method", hasattr(restored, "plain_method"))
    print("hasattr mul", hasattr(restored, "mul"), "hasattr __call__", hasattr(restored, "__call__"))
    show_variable("scale", restored.scale)
    show_variable("sub.w", restored.sub.w)
    print("list", len(restored.items), [r(v) for v in restored.items])
    show_variable("items[1]", restored.items[1])
    print("dict", sorted(restored.table.keys()), r(restored.table["bias"]))
    show_variable("table['bias']", restored.table["bias"])
    print("frozen", restored.frozen.trainable, r(restored.frozen))
    print("signatures", sorted(restored.signatures.keys()))
    serving = restored.signatures["serving_default"]
    out = serving(x=tf.constant([1.0, -1.0]))
    print("serving_default", type(out).__name__, sorted(out.keys()), r(out["output_0"]))
    args, kwargs = serving.structured_input_signature
    print("structured_input_signature", args, specs(kwargs))
    print("structured_outputs", specs(serving.structured_outputs))
    restored.scale.assign(10.0)
    restored.sub.w.assign([1.0, 1.0, 1.0])
    print("call after assign", r(restored(X)))
    print("serving after assign", r(serving(x=tf.constant([1.0, -1.0]))["output_0"]))

    print("# load: continue training")
    trainer = tf.saved_model.load(os.path.join(d, "trainer"))
    show_variable("w at save", trainer.w)
    show_variable("b at save", trainer.b)
    print("losses", [r(trainer.train_step(XS, YS)) for _ in range(3)])
    print("w", r(trainer.w), "b", r(trainer.b))
    print("predict", r(trainer.predict(XS)))
    losses = []
    for _ in range(3):
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean(tf.square(trainer.predict(XS) - YS))
        gw, gb = tape.gradient(loss, [trainer.w, trainer.b])
        trainer.w.assign_sub(0.1 * gw)
        trainer.b.assign_sub(0.1 * gb)
        losses.append(r(loss))
    print("outside tape losses", losses)
    print("w", r(trainer.w), "b", r(trainer.b))

    print("# load: explicit signatures")
    ops = tf.saved_model.load(os.path.join(d, "ops"))
    print("signatures", sorted(ops.signatures.keys()))
    out = ops.signatures["double"](x=tf.constant([1.0, 2.5]))
    print("double", sorted(out.keys()), r(out["output_0"]))
    out = ops.signatures["add"](a=tf.constant([1.0, 2.0]), b=tf.constant([3.0, 4.0]))
    print("add", sorted(out.keys()), r(out))
    out = ops.signatures["named"](x=tf.constant([2.0, 3.0]))
    print("named", sorted(out.keys()), r(out))
    print("add structured_input_signature",
          specs(ops.signatures["add"].structured_input_signature[1]))
    print("restored add", r(ops.add(tf.constant([1.0]), tf.constant([2.0]))))
    print("restored double", r(ops.double(tf.constant([4.0]))))

    print("# load: keras model saved with tf.saved_model.save")
    km = tf.saved_model.load(os.path.join(d, "keras"))
    print("signatures", sorted(km.signatures))
    sig = km.signatures["serving_default"]
    out = sig(inputs=tf.constant([[1.0, 2.0, 3.0]]))
    print("serving_default", sorted(out.keys()), r(out))
    args, kwargs = sig.structured_input_signature
    print("structured_input_signature", args, specs(kwargs))

    print("# load: keras model.export")
    ex = tf.saved_model.load(os.path.join(d, "export"))
    print("serve", r(ex.serve(tf.constant([[1.0, 2.0, 3.0], [0.0, 0.0, 1.0]]))))
    print("signatures", sorted(ex.signatures))
    print("len variables", len(ex.variables), "len trainable", len(ex.trainable_variables))
    sys.exit(0)


class Sub(tf.Module):
    def __init__(self):
        super().__init__()
        self.w = tf.Variable([1.0, 2.0, 3.0], name="w")


class Net(tf.Module):
    def __init__(self):
        super().__init__()
        self.scale = tf.Variable(2.0, name="scale")
        self.sub = Sub()
        self.items = [tf.Variable(1.0, name="a"), tf.Variable([4, 5], name="b")]
        self.table = {"bias": tf.Variable(0.5, name="bias")}
        self.frozen = tf.Variable(7.0, trainable=False, name="frozen")

    @tf.function(input_signature=[tf.TensorSpec([None], tf.float32)])
    def __call__(self, x):
        return self.scale * x + tf.reduce_sum(self.sub.w) + self.table["bias"]

    @tf.function
    def mul(self, x, scale=2.0):
        return {"product": x * scale * self.scale, "total": tf.reduce_sum(x) + self.items[0]}

    def plain_method(self, x):
        return x + 1.0


class Trainer(tf.Module):
    def __init__(self):
        super().__init__()
        self.w = tf.Variable([[0.5], [-0.5]], name="w")
        self.b = tf.Variable([0.1], name="b")

    @tf.function(input_signature=[tf.TensorSpec([None, 2], tf.float32)])
    def predict(self, x):
        return tf.matmul(x, self.w) + self.b

    @tf.function(input_signature=[tf.TensorSpec([None, 2], tf.float32), tf.TensorSpec([None, 1], tf.float32)])
    def train_step(self, x, y):
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean(tf.square(tf.matmul(x, self.w) + self.b - y))
        gw, gb = tape.gradient(loss, [self.w, self.b])
        self.w.assign_sub(0.1 * gw)
        self.b.assign_sub(0.1 * gb)
        return loss


class Ops(tf.Module):
    @tf.function(input_signature=[tf.TensorSpec([None], tf.float32)])
    def double(self, x):
        return x * 2.0

    @tf.function(input_signature=[tf.TensorSpec([None], tf.float32), tf.TensorSpec([None], tf.float32)])
    def add(self, a, b):
        return a + b, a - b

    @tf.function(input_signature=[tf.TensorSpec([None], tf.float32)])
    def named(self, x):
        return {"square": x * x, "neg": -x}


with tempfile.TemporaryDirectory() as d:
    print("# save: module")
    net = Net()
    print("call", r(net(X)))
    print("mul [3]", r(net.mul(X)))
    print("mul [2] scale=3.0", r(net.mul(tf.constant([1.0, 2.0]), scale=3.0)))
    print("save ->", tf.saved_model.save(net, os.path.join(d, "module")))

    print("# save: training")
    trainer = Trainer()
    print("losses before save", [r(trainer.train_step(XS, YS)) for _ in range(3)])
    tf.saved_model.save(trainer, os.path.join(d, "trainer"))
    print("w at save", r(trainer.w), "b at save", r(trainer.b))
    print("losses after save", [r(trainer.train_step(XS, YS)) for _ in range(3)])
    print("w", r(trainer.w), "b", r(trainer.b))

    print("# save: explicit signatures")
    ops = Ops()
    tf.saved_model.save(ops, os.path.join(d, "ops"), signatures={
        "double": ops.double.get_concrete_function(), "add": ops.add, "named": ops.named})

    print("# save: keras")
    model = tf.keras.Sequential([
        tf.keras.Input(shape=(3,)),
        tf.keras.layers.Dense(2, kernel_initializer="ones"),
        tf.keras.layers.Dense(1, kernel_initializer="ones"),
    ])
    print("predict", r(model(tf.constant([[1.0, 2.0, 3.0], [0.0, 0.0, 1.0]]))))
    tf.saved_model.save(model, os.path.join(d, "keras"))
    model.export(os.path.join(d, "export"), verbose=False)

    print("# errors")
    attempt("load missing", lambda: tf.saved_model.load(os.path.join(d, "missing")), replace=d)
    attempt("save int", lambda: tf.saved_model.save(3, os.path.join(d, "int")))

    sys.stdout.flush()
    done = subprocess.run([sys.executable, __file__, sys.argv[1], "load", d], capture_output=True, text=True)
    sys.stdout.write(done.stdout)
    if done.returncode != 0:
        print("load process failed", done.returncode)
        sys.stderr.write(done.stderr)
