"""What the benchmarks share: a line describing the machine, cold-start cache clearing, and
counting JAX's compiles and traces while something is timed."""
import importlib
import os
import sys

import jax

from compiler import lower

_bind_module = importlib.import_module("compiler.bind")  # `compiler.bind` is also the function


def use_workloads():
    """Put tfx_lite/benchmarks (the workloads `tfx-lite bench` runs, standalone files) on
    sys.path, so a bench script imports the same seed programs instead of repeating them."""
    import tfx_lite
    folder = os.path.join(os.path.dirname(tfx_lite.__file__), "benchmarks")
    if folder not in sys.path:
        sys.path.insert(0, folder)


def machine_line(*extra: str) -> str:
    """jax, jaxlib (and `extra` versions), the device, CPU cores and Python."""
    device = jax.devices()[0]
    versions = ", ".join([f"jax {jax.__version__}", f"jaxlib {getattr(jax.lib, '__version__', '?')}", *extra])
    return (f"{versions}; device {device.platform} ({device.device_kind}), {len(jax.devices())} "
            f"device(s); {os.cpu_count()} CPU core(s); python {sys.version.split()[0]}")


def machine_meta() -> dict:
    """The machine for a --json file."""
    device = jax.devices()[0]
    return {"jax": jax.__version__, "platform": device.platform, "device_kind": device.device_kind,
            "cpu_count": os.cpu_count()}


def clear_caches():
    """Cold start: JAX's caches and tfx_lite's kernel and executable caches."""
    jax.clear_caches()
    for module, name in ((_bind_module, "_KERNELS"), (_bind_module, "_GRAPH_KERNELS"),
                         (lower, "_BY_FINGERPRINT")):
        cache = getattr(module, name, None)
        if cache is not None:
            cache.clear()


class CompileCounter:
    """Counts JAX backend compiles and jaxpr traces (jax.monitoring duration events) while
    it is entered."""

    EVENTS = {"/jax/core/compile/backend_compile_duration": "compiles",
              "/jax/core/compile/jaxpr_trace_duration": "traces"}

    def __init__(self):
        self.counts = {"compiles": 0, "traces": 0}

    def __call__(self, event, duration_secs, **kwargs):
        kind = self.EVENTS.get(event)
        if kind is not None:
            self.counts[kind] += 1

    def __enter__(self):
        jax.monitoring.register_event_duration_secs_listener(self)
        return self

    def __exit__(self, *exc):
        jax.monitoring.unregister_event_duration_listener(self)
