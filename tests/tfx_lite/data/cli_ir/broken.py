"""A script that raises while it loads (tfx-lite ir exits 1 with its traceback)."""
import tfx_lite as tf


def f(x):
    return x


raise RuntimeError("broken on purpose")
