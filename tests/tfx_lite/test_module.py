"""tf.Module and tf.name_scope. Expected names and orders were recorded with TF 2.21."""
import collections

import numpy as np
import pytest

import tfx_lite as tf
from tfx_lite.framework.name_scope import current_name_scope, name_scope
from tfx_lite.module import Module, camel_to_snake

Pair = collections.namedtuple("Pair", ["second", "first"])


class Leaf(Module):
    def __init__(self, name=None):
        super().__init__(name=name)
        with self.name_scope:
            self.w = tf.Variable(1.0, name="w")
            self.b = tf.Variable(0.0, name="b", trainable=False)


class Tree(Module):
    def __init__(self):
        super().__init__()
        self.z_var = tf.Variable(2.0, name="z")
        self.a_list = [Leaf(name="l0"), tf.Variable(3.0, name="in_list"), [Leaf(name="l1")]]
        self.m_dict = {"b": tf.Variable(4.0, name="dict_b"), "a": Leaf(name="dict_a"),
                       "c": (tf.Variable(5.0, name="tup0", trainable=False),)}
        self.pair = Pair(second=tf.Variable(6.0, name="second"), first=tf.Variable(7.0, name="first"))
        self.od = collections.OrderedDict([("y", tf.Variable(8.0, name="od_y")),
                                           ("x", tf.Variable(9.0, name="od_x"))])
        self.alias = self.z_var
        self._private = tf.Variable(10.0, name="private")
        self.number = 3
        self.text = "hello"
        self.none = None


class N(Module):
    def __init__(self, children=(), name=None):
        super().__init__(name=name)
        self.children = list(children)
        self.v = tf.Variable(0.0, name=(name or "n") + "_v")


class MLP(Module):
    def __init__(self, sizes, name=None):
        super().__init__(name=name)
        self.layers = []
        with self.name_scope:
            for _ in sizes:
                self.layers.append(Leaf())

    @Module.with_name_scope
    def make(self):
        self.extra = tf.Variable(1.0)
        return self.extra.name


def names(values):
    return [v.name for v in values]


def test_tracking_order_of_nested_structures():
    t = Tree()
    assert (t.name, t.name_scope.name) == ("tree", "tree/")
    assert names(t.variables) == [
        "private:0", "in_list:0", "z:0", "dict_b:0", "tup0:0", "od_x:0", "od_y:0", "second:0",
        "first:0", "l0/b:0", "l0/w:0", "l1/b:0", "l1/w:0", "dict_a/b:0", "dict_a/w:0"]
    assert names(t.trainable_variables) == [
        "private:0", "in_list:0", "z:0", "dict_b:0", "od_x:0", "od_y:0", "second:0", "first:0",
        "l0/w:0", "l1/w:0", "dict_a/w:0"]
    assert names(t.non_trainable_variables) == ["tup0:0", "l0/b:0", "l1/b:0", "dict_a/b:0"]
    assert [m.name for m in t.submodules] == ["l0", "l1", "dict_a"]
    assert isinstance(t.variables, tuple) and isinstance(t.submodules, tuple)


def test_flatten_with_path_does_not_deduplicate():
    t = Tree()
    paths = [p for p, _ in t._flatten(with_path=True, predicate=lambda x: isinstance(x, tf.Variable))]
    assert paths == [
        ("_private",), ("a_list", 1), ("alias",), ("m_dict", "b"), ("m_dict", "c", 0), ("od", "x"),
        ("od", "y"), ("pair", "second"), ("pair", "first"), ("z_var",), ("a_list", 0, "b"),
        ("a_list", 0, "w"), ("a_list", 2, 0, "b"), ("a_list", 2, 0, "w"), ("m_dict", "a", "b"),
        ("m_dict", "a", "w")]
    assert len(list(t._flatten(recursive=False, predicate=lambda x: isinstance(x, Leaf)))) == 3
    assert names(t._flatten(recursive=False, predicate=lambda x: isinstance(x, tf.Variable))) == \
        ["private:0", "in_list:0", "z:0", "dict_b:0", "tup0:0", "od_x:0", "od_y:0", "second:0", "first:0"]


def test_submodules_and_variables_of_deeper_trees():
    root = N([N([N(name="c"), N(name="d")], name="a"), N([N(name="e")], name="b")], name="root")
    assert [m.name for m in root.submodules] == ["a", "b", "c", "d", "e"]
    assert names(root.variables) == ["root_v:0", "a_v:0", "c_v:0", "d_v:0", "b_v:0", "e_v:0"]


def test_shared_modules_and_cycles_are_visited_once():
    class Holder(Module):
        pass

    h = Holder()
    shared = Leaf(name="shared")
    h.x = shared
    h.y = [shared, h]
    assert h.name == "holder"
    assert [m.name for m in h.submodules] == ["shared"]
    assert names(h.variables) == ["shared/b:0", "shared/w:0"]
    assert len(list(h._flatten(with_path=True, predicate=lambda x: isinstance(x, tf.Variable)))) == 4


def test_module_name_scopes():
    mlp = MLP([1, 2])
    assert names(mlp.variables) == ["mlp/leaf/b:0", "mlp/leaf/w:0", "mlp/leaf/b:0", "mlp/leaf/w:0"]
    assert mlp.make() == "mlp/Variable:0" and MLP.make.__name__ == "make"
    with name_scope("outer"):
        inner = MLP([1], name="inner")
    assert (inner.name, inner.name_scope.name) == ("inner", "outer/inner/")
    assert names(inner.variables) == ["outer/inner/leaf/b:0", "outer/inner/leaf/w:0"]
    with inner.name_scope as scope:  # absolute: the scope it was created in
        assert scope == "outer/inner/" and tf.Variable(1.0).name == "outer/inner/Variable:0"
    assert current_name_scope() == ""


def test_default_names_and_validation():
    class MyHTTPModel2D(Module):
        pass

    assert [m.name for m in [MLP([]), Leaf(), Module(), MyHTTPModel2D()]] == \
        ["mlp", "leaf", "module", "my_http_model2_d"]
    assert camel_to_snake("MyFancyModule2") == "my_fancy_module2"
    assert camel_to_snake("HTTPServer") == "http_server"
    for bad in ["bad name", "a/b", "1x"]:
        with pytest.raises(ValueError, match="is not a valid module name"):
            Module(name=bad)
    assert repr(Module()).startswith("<tfx_lite.module.Module object at 0x")


def test_name_scope_eager_rules():
    assert tf.Variable(1.0).name == "Variable:0"
    with name_scope("a") as a:
        assert a == "a/"
        assert tf.Variable(1.0, name="w").name == "a/w:0"
        assert tf.Variable(1.0).name == "a/Variable:0"
        with name_scope("b") as b:
            assert b == "a/b/" and tf.Variable(1.0, name="w").name == "a/b/w:0"
        with name_scope("a") as again:  # eager scopes are not made unique
            assert again == "a/a/"
        with name_scope("") as root:
            assert root == "" and tf.Variable(1.0, name="w").name == "w:0"
        with name_scope("x/") as absolute:
            assert absolute == "x/" and tf.Variable(1.0, name="w").name == "x/w:0"
        assert tf.Variable(1.0, name="x/").name == "x:0"
        assert tf.Variable(1.0, name="q/r").name == "a/q/r:0"
        assert current_name_scope() == "a/"
    assert current_name_scope() == ""
    ns = name_scope("n")
    assert ns.name == "n"
    with pytest.raises(ValueError, match="name for name_scope must be a string."):
        name_scope(3)


def test_name_scope_restored_after_an_exception():
    with pytest.raises(RuntimeError):
        with name_scope("boom"):
            raise RuntimeError()
    assert current_name_scope() == ""


def test_name_scope_in_a_traced_function_is_made_unique():
    seen = []

    @tf.function
    def f(x):
        with name_scope("s") as s1:
            with name_scope("t") as t:
                pass
        with name_scope("S") as s2:
            pass
        with name_scope("s_1") as s3:
            pass
        with name_scope("s/") as s4:
            pass
        seen.append((s1, t, s2, s3, s4))
        return x + 1

    with name_scope("outer"):  # a graph starts at the root scope
        f(tf.constant(1.0))
        assert current_name_scope() == "outer/"
    assert seen == [("s/", "s/t/", "S_1/", "s_1_1/", "s/")]


class Model(Module):
    def __init__(self):
        super().__init__()
        self.w = tf.Variable([[1.0], [2.0]])

    @tf.function
    def __call__(self, x):
        return tf.matmul(x, self.w)


def test_tf_function_call_binds_per_instance():
    m1, m2 = Model(), Model()
    m2.w.assign([[3.0], [4.0]])
    x = tf.constant([[1.0, 1.0]])
    assert m1(x).numpy().tolist() == [[3.0]] and m2(x).numpy().tolist() == [[7.0]]
    m1.w.assign([[5.0], [5.0]])
    assert m1(x).numpy().tolist() == [[10.0]]
    # the cached bound tf.functions are not tracked (TF's Module does not see them either)
    assert names(m1.variables) == ["Variable:0"] and m1.submodules == ()
    assert [type(x).__name__ for x in m1._flatten()] == ["str", "name_scope", "Variable"]


def test_seed_example_17():
    class Dense(Module):
        def __init__(self, in_features, out_features, name=None):
            super().__init__(name=name)
            self.w = tf.Variable(tf.ones([in_features, out_features]), name="w")
            self.b = tf.Variable(tf.zeros([out_features]), name="b")

        def __call__(self, x):
            return tf.nn.relu(tf.matmul(x, self.w) + self.b)

    class MySequentialModule(Module):
        def __init__(self, name=None):
            super().__init__(name=name)
            self.dense_1 = Dense(in_features=3, out_features=3)
            self.dense_2 = Dense(in_features=3, out_features=2)

        @tf.function
        def __call__(self, x):
            return self.dense_2(self.dense_1(x))

    model = MySequentialModule(name="the_model")
    np.testing.assert_array_equal(model([[2.0, 2.0, 2.0]]).numpy(), [[18.0, 18.0]])
    assert model([[[2.0, 2.0, 2.0], [2.0, 2.0, 2.0]]]).shape == [1, 2, 2]
    assert len(model.trainable_variables) == 4
    assert [type(m).__name__ for m in model.submodules] == ["Dense", "Dense"]
    assert names(model.variables) == ["b:0", "w:0", "b:0", "w:0"]
