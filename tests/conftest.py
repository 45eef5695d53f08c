import jax
import pytest


def pytest_collection_modifyitems(config, items):
    """Tests marked `gpu` run only where JAX sees a GPU (the device machine); skipped elsewhere."""
    if any(d.platform == "gpu" for d in jax.devices()):
        return
    skip = pytest.mark.skip(reason="needs a GPU")
    for item in items:
        if "gpu" in item.keywords:
            item.add_marker(skip)
