"""The table `tfx-lite bench` prints: one row per (workload, case), one column per (framework,
variant), each cell the measured value and its ratio to raw JAX's compiled run of the same case
(> 1: slower than raw JAX), then a summary to read at a glance. `write` adds bench.md,
bench.json and a chart (bench.png with matplotlib, else bench_chart.txt)."""
from __future__ import annotations

import json
import math
import os

_FRAMEWORK_ORDER = ("tfx_lite", "jax", "tensorflow", "keras_jax")
_LABEL = {"tfx_lite": "tfx_lite", "jax": "raw JAX", "tensorflow": "TensorFlow", "keras_jax": "Keras 3 on JAX"}
_BASELINE_VARIANTS = ("compiled", "jit")


def geometric_mean(values) -> float:
    values = [v for v in values if v > 0 and math.isfinite(v)]
    return math.exp(sum(math.log(v) for v in values) / len(values)) if values else float("nan")


def _format_value(value, unit) -> str:
    if value >= 100:
        text = f"{value:.0f}"
    elif value >= 10:
        text = f"{value:.1f}"
    elif value >= 1:
        text = f"{value:.2f}"
    else:
        text = f"{value:.3g}"
    return f"{text} {unit}"


def role(variant: str) -> str:
    """A table column holds one role per framework: `eager`, or `compiled` (tf.function, fit,
    tf.data, jax.jit, numpy slicing: each framework's fast path for the workload)."""
    return "eager" if variant == "eager" else "compiled"


class Report:
    def __init__(self, runs: list[dict], missing: dict, quick: bool, seconds: float):
        self.runs = runs
        self.missing = missing
        self.quick = quick
        self.seconds = seconds
        self.rows: dict = {}  # (workload, case) -> {(framework, role): result}
        self.variants: dict = {}  # (workload, case) -> the compiled-role variant names, in order
        for run in runs:
            for r in run.get("results", []):
                row = (run["workload"], r["case"])
                self.rows.setdefault(row, {})[(run["framework"], role(r["variant"]))] = r
                if role(r["variant"]) == "compiled":
                    names = self.variants.setdefault(row, [])
                    if r["variant"] not in names:
                        names.append(r["variant"])
        columns = {key for cells in self.rows.values() for key in cells}
        self.columns = sorted(columns, key=lambda c: (_FRAMEWORK_ORDER.index(c[0]) if c[0] in _FRAMEWORK_ORDER
                                                      else 99, c[1] != "eager"))

    # --- numbers ---
    def baseline(self, row):
        return self.rows[row].get(("jax", "compiled"))

    @staticmethod
    def ratio(result, baseline) -> float | None:
        """How many times slower than `baseline` (> 1: slower)."""
        if baseline is None or result is None or result["unit"] != baseline["unit"] or \
                not result["value"] > 0 or not baseline["value"] > 0:
            return None
        r = result["value"] / baseline["value"]
        return r if result.get("lower_is_better", True) else 1 / r

    def _ratios(self, column, reference) -> list[float]:
        """Per row where both exist: column / reference (> 1: the column is slower)."""
        out = []
        for cells in self.rows.values():
            r = self.ratio(cells.get(column), cells.get(reference))
            if r is not None:
                out.append(r)
        return out

    def summary(self) -> list[str]:
        lines = []

        def compare(what, column, reference):
            ratios = self._ratios(column, reference)
            if not ratios:
                return
            mean = geometric_mean(ratios)
            slower = mean > 1
            factors = sorted(r if slower else 1 / r for r in ratios)
            spread = f"; {factors[0]:.2f}-{factors[-1]:.2f}x over {len(ratios)} cases" if len(ratios) > 1 else ""
            lines.append(f"{what}: {(mean if slower else 1 / mean):.2f}x {'slower' if slower else 'faster'} "
                         f"(geometric mean{spread})")

        compare("tfx_lite compiled vs raw JAX compiled", ("tfx_lite", "compiled"), ("jax", "compiled"))
        compare("tfx_lite eager vs raw JAX eager", ("tfx_lite", "eager"), ("jax", "eager"))
        compare("tfx_lite compiled vs tfx_lite eager", ("tfx_lite", "compiled"), ("tfx_lite", "eager"))
        compare("tfx_lite compiled vs TensorFlow compiled", ("tfx_lite", "compiled"), ("tensorflow", "compiled"))
        compare("tfx_lite eager vs TensorFlow eager", ("tfx_lite", "eager"), ("tensorflow", "eager"))
        compare("tfx_lite compiled vs Keras 3 on JAX", ("tfx_lite", "compiled"), ("keras_jax", "compiled"))
        for run in self.runs:
            if run.get("error"):
                lines.append(f"{run['workload']} on {run['framework']}: not measured ({run['error']})")
            for r in run.get("results", []):
                if r.get("note"):
                    lines.append(f"{run['workload']} {r['case']} on {run['framework']} {r['variant']}: {r['note']}")
        for framework, why in self.missing.items():
            lines.append(f"{_LABEL.get(framework, framework)} not run: {why}")
        return lines

    # --- text ---
    def _cells(self, row) -> list[str]:
        base = self.baseline(row)
        out = []
        for column in self.columns:
            result = self.rows[row].get(column)
            if result is None:
                out.append("")
                continue
            text = _format_value(result["value"], result["unit"])
            r = self.ratio(result, base)
            out.append(text if r is None or result is base else f"{text} ({r:.2f}x)")
        return out

    def header(self) -> list[str]:
        return ["workload", "case"] + [f"{_LABEL.get(f, f)} {v}" for f, v in self.columns]

    def _case(self, row) -> str:
        names = [n for n in self.variants.get(row, []) if n != "compiled"]
        return f"{row[1]} ({' / '.join(names)})" if names else row[1]

    def table_rows(self) -> list[list[str]]:
        return [[row[0], self._case(row), *self._cells(row)] for row in self.rows]

    def title(self) -> str:
        return (f"tfx-lite bench{' --quick' if self.quick else ''}: {os.cpu_count()} CPU cores, "
                f"{self.seconds:.0f} s. Each cell: time (its ratio to raw JAX compiled; > 1 is slower). "
                "compiled = tf.function, fit or tf.data; for raw JAX jax.jit or numpy")
    def text(self) -> str:
        header, rows = self.header(), self.table_rows()
        widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
        lines = [self.title(), ""]
        lines.append("  ".join(h.ljust(w) for h, w in zip(header, widths)))
        lines.append("  ".join("-" * w for w in widths))
        lines += ["  ".join(c.ljust(w) for c, w in zip(row, widths)) for row in rows]
        return "\n".join([*lines, "", *self.summary()])

    def markdown(self) -> str:
        header, rows = self.header(), self.table_rows()
        lines = [f"# {self.title()}", "", "| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
        lines += ["| " + " | ".join(row) + " |" for row in rows]
        return "\n".join([*lines, "", *[f"- {s}" for s in self.summary()], ""])

    # --- files ---
    def write(self, directory) -> list[str]:
        os.makedirs(directory, exist_ok=True)
        written = []
        path = os.path.join(directory, "bench.md")
        with open(path, "w") as f:
            f.write(self.markdown())
        written.append(path)
        path = os.path.join(directory, "bench.json")
        with open(path, "w") as f:
            json.dump({"quick": self.quick, "seconds": self.seconds, "cpu_count": os.cpu_count(),
                       "runs": self.runs, "not_run": self.missing, "summary": self.summary()}, f, indent=1)
        written.append(path)
        written.append(self._chart(directory))
        return written

    def _bars(self) -> list[tuple[str, float]]:
        """(label, ratio to raw JAX) of every non-JAX cell."""
        bars = []
        for row in self.rows:
            base = self.baseline(row)
            for column in self.columns:
                result = self.rows[row].get(column)
                r = self.ratio(result, base)
                if r is not None and column[0] != "jax":
                    bars.append((f"{row[0]} {row[1]} · {_LABEL.get(column[0], column[0])} {column[1]}", r))
        return bars

    def _chart(self, directory) -> str:
        bars = self._bars()
        try:
            import matplotlib
            matplotlib.use("Agg")
            import matplotlib.pyplot as plt
        except ImportError:
            path = os.path.join(directory, "bench_chart.txt")
            width = max((len(label) for label, _ in bars), default=10)
            steps = [round(4 * math.log2(r)) for _, r in bars]  # 4 characters per doubling
            left = max([-n for n in steps if n < 0], default=0)
            lines = ["Time relative to raw JAX's compiled run, log scale (each # is a factor of 1.19): "
                     "left of | is faster, right of | slower", ""]
            for (label, r), n in zip(bars, steps):
                bar = " " * (left - max(0, -n)) + "#" * max(0, -n) + "|" + "#" * max(0, n)
                lines.append(f"{label.ljust(width)}  {bar}  {r:.2f}x")
            with open(path, "w") as f:
                f.write("\n".join(lines) + "\n")
            return path
        path = os.path.join(directory, "bench.png")
        fig, ax = plt.subplots(figsize=(10, 0.3 * len(bars) + 1.5))
        ax.barh([label for label, _ in bars][::-1], [r for _, r in bars][::-1])
        ax.axvline(1.0, color="black", linewidth=1)
        ax.set_xlabel("time relative to raw JAX's compiled run (lower is faster)")
        ax.set_xscale("log")
        fig.tight_layout()
        fig.savefig(path, dpi=100)
        plt.close(fig)
        return path
