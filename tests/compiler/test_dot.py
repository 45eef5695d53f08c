"""compiler/dot.py: graphs as Graphviz DOT, checked with a small DOT parser (and with Graphviz's
`dot` where it is installed)."""
import re
import shutil
import subprocess
from textwrap import dedent

import pytest

from compiler import parse_program
from compiler.dot import quote, to_dot

# --- a checker for the DOT language (the subset a generator needs; graphviz.org/doc/info/lang) ---

_TOKEN = re.compile(r"""
    (?P<space>\s+|//[^\n]*|/\*.*?\*/|^\#[^\n]*)
  | (?P<string>"(?:[^"\\]|\\.)*")
  | (?P<id>[A-Za-z_\x80-\uffff][\w\x80-\uffff]*|-?(?:\.\d+|\d+(?:\.\d*)?))
  | (?P<edgeop>->|--)
  | (?P<punct>[{}\[\];,=:])
""", re.S | re.X | re.M)
_KEYWORDS = {"strict", "graph", "digraph", "node", "edge", "subgraph"}


def _unescape(text: str) -> str:
    return re.sub(r"\\(.)", lambda m: {"n": "\n", '"': '"', "\\": "\\"}.get(m.group(1), m.group(0)), text)


def _tokens(text: str) -> list:
    out, i = [], 0
    while i < len(text):
        m = _TOKEN.match(text, i)
        if not m:
            raise AssertionError(f"bad DOT at offset {i}: {text[i:i + 30]!r}")
        i = m.end()
        kind = m.lastgroup
        if kind == "space":
            continue
        value = m.group()
        if kind == "string":
            value = _unescape(value[1:-1])
            kind = "id"
        elif kind == "id" and value.lower() in _KEYWORDS:
            kind = value.lower()
        out.append((kind, value))
    return out


class _Parser:
    """Reads a whole DOT file; records node statements, edges, clusters and attributes."""

    def __init__(self, text: str):
        self.tokens = _tokens(text) + [("end", "")]
        self.i = 0
        self.nodes: dict[str, dict] = {}
        self.edges: list[tuple] = []
        self.clusters: dict[str, dict] = {}
        self.graph_attrs: dict = {}

    def peek(self, k=0):
        return self.tokens[self.i + k][0]

    def take(self, kind):
        got, value = self.tokens[self.i]
        assert got == kind, f"expected {kind}, got {got} {value!r} (token {self.i})"
        self.i += 1
        return value

    def parse(self):
        if self.peek() == "strict":
            self.take("strict")
        assert self.peek() in ("graph", "digraph"), self.tokens[0]
        self.directed = self.take(self.peek()) == "digraph"
        self.name = self.take("id") if self.peek() == "id" else None
        self.body(self.graph_attrs)
        self.take("end")
        return self

    def body(self, attrs):
        assert self.take("punct") == "{"
        while not (self.peek() == "punct" and self.tokens[self.i][1] == "}"):
            self.stmt(attrs)
            if self.peek() == "punct" and self.tokens[self.i][1] == ";":
                self.i += 1
        assert self.take("punct") == "}"

    def attr_list(self) -> dict:
        attrs = {}
        while self.peek() == "punct" and self.tokens[self.i][1] == "[":
            self.i += 1
            while not (self.peek() == "punct" and self.tokens[self.i][1] == "]"):
                key = self.take("id")
                assert self.take("punct") == "="
                attrs[key] = self.take("id")
                if self.peek() == "punct" and self.tokens[self.i][1] in ",;":
                    self.i += 1
            self.i += 1
        return attrs

    def endpoint(self):
        if self.peek() in ("subgraph",) or (self.peek() == "punct" and self.tokens[self.i][1] == "{"):
            raise AssertionError("subgraphs as edge endpoints are not expected from to_dot")
        name = self.take("id")
        if self.peek() == "punct" and self.tokens[self.i][1] == ":":  # a port
            self.i += 1
            self.take("id")
        return name

    def stmt(self, attrs):
        kind = self.peek()
        if kind in ("graph", "node", "edge"):
            self.i += 1
            got = self.attr_list()
            if kind == "graph":
                attrs.update(got)
            return
        if kind == "subgraph":
            self.i += 1
            name = self.take("id") if self.peek() == "id" else None
            sub = {}
            self.body(sub)
            if name and name.startswith("cluster"):
                self.clusters[name] = sub
            return
        first = self.take("id")
        if self.peek() == "punct" and self.tokens[self.i][1] == "=":  # ID = ID
            self.i += 1
            attrs[first] = self.take("id")
            return
        if self.peek() == "punct" and self.tokens[self.i][1] == ":":
            self.i += 1
            self.take("id")
        chain = [first]
        while self.peek() == "edgeop":
            op = self.take("edgeop")
            assert op == ("->" if self.directed else "--"), f"{op} in a {'di' if self.directed else ''}graph"
            chain.append(self.endpoint())
        got = self.attr_list()
        if len(chain) == 1:
            assert first not in self.nodes, f"node {first} declared twice"
            self.nodes[first] = got
        else:
            self.edges += [(a, b, got) for a, b in zip(chain, chain[1:])]


def check_dot(text: str) -> _Parser:
    """Parse DOT text (raising AssertionError where it is not DOT), check that braces balance and
    that every edge's endpoints are declared nodes; returns what was read."""
    assert text.count("{") - text.count("}") == sum(  # braces inside labels are balanced too
        s.count("{") - s.count("}") for s in re.findall(r'"(?:[^"\\]|\\.)*"', text))
    parsed = _Parser(text).parse()
    for a, b, _ in parsed.edges:
        assert a in parsed.nodes, f"edge from undeclared node {a}"
        assert b in parsed.nodes, f"edge to undeclared node {b}"
    for _, _, attrs in parsed.edges:
        head = attrs.get("lhead")
        assert head is None or head in parsed.clusters, f"lhead {head} is not a cluster"
    return parsed


def run_graphviz(text: str, tmp_path):
    """Where Graphviz is installed, `dot` must read the file without a warning."""
    if shutil.which("dot") is None:
        return
    path = tmp_path / "g.dot"
    path.write_text(text)
    done = subprocess.run(["dot", "-Tsvg", str(path), "-o", str(tmp_path / "g.svg")],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and not done.stderr.strip(), done.stderr


# --- tests ---

SMALL = dedent("""\
    func @f(%x: f32[2], %'a"b\\\\c{': f32[2]) -> (f32[2], f32[2]) {
      %0 = mul(%x, %'a"b\\\\c{') : f32[2]
      %1 = const() {value=array(3.0, float32)} : f32[]
      %2 = add(%0, %1) : f32[2]
      return %2, %x
    }""")

LOOP = dedent("""\
    func @g(%x: f32[?,3]) -> (f32[?,3]) {
      %0 = const() {value=array(0, int32)} : i32[]
      %1, %2 = while_loop(%0, %x) {body=@while_body, cond=@while_cond, num_cond_extra=0, num_vars=2} : i32[], f32[?,3]
      %3 = reduce_sum(%2) : f32[]
      %4 = const() {value=array(0.0, float32)} : f32[]
      %5 = greater(%3, %4) : bool[]
      %6 = cond(%5, %2) {false=@cond_false, true=@cond_true} : f32[?,3]
      return %6
    }

    func @while_body(%arg0: i32[], %arg1: f32[?,3]) -> (i32[], f32[?,3]) {
      %0 = const() {value=array(1, int32)} : i32[]
      %1 = add(%arg0, %0) : i32[]
      %2 = const() {value=array(2.0, float32)} : f32[]
      %3 = mul(%arg1, %2) : f32[?,3]
      return %1, %3
    }

    func @while_cond(%arg0: i32[], %arg1: f32[?,3]) -> (bool[]) {
      %0 = const() {value=array(3, int32)} : i32[]
      %1 = less(%arg0, %0) : bool[]
      return %1
    }

    func @cond_false(%arg0: f32[?,3]) -> (f32[?,3]) {
      %0 = neg(%arg0) : f32[?,3]
      return %0
    }

    func @cond_true(%arg0: f32[?,3]) -> (f32[?,3]) {
      return %arg0
    }""")


def test_quote_escapes():
    assert quote('a"b\\c\nd') == '"a\\"b\\\\c\\nd"'
    assert _unescape(quote('a"b\\c\nd')[1:-1]) == 'a"b\\c\nd'


def test_small_graph(tmp_path):
    graph = parse_program(SMALL)
    text = to_dot(graph)
    assert text.startswith('digraph "f" {\n') and text.endswith("}\n")
    dot = check_dot(text)
    assert dot.graph_attrs["label"] == "func @f"
    assert dot.nodes == {
        "g0_p0": {"shape": "invhouse", "label": "%x\nf32[2]"},
        "g0_p1": {"shape": "invhouse", "label": '%a"b\\c{\nf32[2]'},
        "g0_n0": {"shape": "box", "label": "mul\n%0 : f32[2]"},
        "g0_n1": {"shape": "box", "label": "const\nvalue=array(3.0, float32)\n%1 : f32[]"},
        "g0_n2": {"shape": "box", "label": "add\n%2 : f32[2]"},
        "g0_r0": {"shape": "house", "label": "return 0: %2\nf32[2]"},
        "g0_r1": {"shape": "house", "label": "return 1: %x\nf32[2]"},
    }
    assert [(a, b, e["label"]) for a, b, e in dot.edges] == [
        ("g0_p0", "g0_n0", "f32[2]"), ("g0_p1", "g0_n0", "f32[2]"),
        ("g0_n0", "g0_n2", "f32[2]"), ("g0_n1", "g0_n2", "f32[]"),
        ("g0_n2", "g0_r0", "f32[2]"), ("g0_p0", "g0_r1", "f32[2]")]
    assert dot.clusters == {}
    run_graphviz(text, tmp_path)


def test_control_flow_graph(tmp_path):
    graph = parse_program(LOOP)
    text = to_dot(graph)
    dot = check_dot(text)
    # one cluster per referenced sub-graph, labelled as print_program names them
    assert {name: attrs["label"] for name, attrs in dot.clusters.items()} == {
        "cluster_1": "func @while_body", "cluster_2": "func @while_cond",
        "cluster_3": "func @cond_false", "cluster_4": "func @cond_true"}
    assert dot.nodes["g0_n1"]["label"] == ("while_loop\nbody=@while_body, cond=@while_cond\n"
                                           "num_cond_extra=0, num_vars=2\n%1, %2 : i32[], f32[?,3]")
    # an edge from a multi-output node names the value it carries
    assert ("g0_n1", "g0_n2", "%2: f32[?,3]") in [(a, b, e["label"]) for a, b, e in dot.edges]
    # dashed edges from the node to each of its sub-graphs, labelled with the attribute
    links = [(a, b, e["lhead"], e["label"]) for a, b, e in dot.edges if e.get("style") == "dashed"]
    assert links == [("g0_n1", "g1_p0", "cluster_1", "body"), ("g0_n1", "g2_p0", "cluster_2", "cond"),
                     ("g0_n5", "g3_p0", "cluster_3", "false"), ("g0_n5", "g4_p0", "cluster_4", "true")]
    # every op of every graph is a box
    boxes = sorted(attrs["label"].split("\n")[0] for attrs in dot.nodes.values() if attrs["shape"] == "box")
    assert boxes == sorted(["const", "while_loop", "reduce_sum", "const", "greater", "cond",
                            "const", "add", "const", "mul", "const", "less", "neg"])
    run_graphviz(text, tmp_path)


def test_large_constants_and_empty_graph():
    import numpy as np
    from compiler.ir import Graph
    from compiler.types import TensorType
    g = Graph("h")
    node = g.add_node("const", [], {"value": np.zeros((4, 5), np.float32)}, [TensorType((4, 5), np.float32)])
    g.results = [node.outputs[0]]
    dot = check_dot(to_dot(g))
    assert dot.nodes["g0_n0"]["label"] == "const\nvalue=array<f32[4,5]>\n%0 : f32[4,5]"
    assert check_dot(to_dot(Graph("empty"))).nodes == {"g0_empty": {"shape": "plaintext", "label": "(empty)"}}


def test_checker_rejects_bad_dot():
    with pytest.raises(AssertionError):
        check_dot('digraph "g" {\n  a [label="x"];\n  a -> b;\n}\n')  # b never declared
    with pytest.raises(AssertionError):
        check_dot('digraph "g" {\n  a [label="x"];\n')  # unbalanced
    with pytest.raises(AssertionError):
        check_dot('digraph "g" {\n  a [label="x];\n}\n')  # unterminated string
