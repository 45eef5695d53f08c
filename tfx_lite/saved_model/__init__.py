"""tf.saved_model: save an object's variables, traced functions and signatures as IR text and
arrays (save.py), load them back without the Python code that defined them (load.py), and
export a function as serialized StableHLO for serving (stablehlo.py)."""
from tfx_lite.saved_model.load import load  # noqa: E402,F401
from tfx_lite.saved_model.save import save  # noqa: E402,F401
from tfx_lite.saved_model.signatures import DEFAULT_SIGNATURE_KEY as DEFAULT_SERVING_SIGNATURE_DEF_KEY  # noqa: E402,F401


class SaveOptions:
    """Accepted for compatibility; tfx_lite's SavedModels have no options yet."""

    def __init__(self, namespace_whitelist=None, save_debug_info=False, function_aliases=None,
                 experimental_io_device=None, experimental_variable_policy=None, **kwargs):
        self.function_aliases = function_aliases


class LoadOptions:
    def __init__(self, allow_partial_checkpoint=False, experimental_io_device=None, **kwargs):
        pass


def __getattr__(name):
    """`tf.saved_model.export_stablehlo` / `load_stablehlo` (stablehlo/), imported on first use."""
    if name in ("export_stablehlo", "load_stablehlo"):
        from tfx_lite.saved_model import stablehlo
        return getattr(stablehlo, name)
    raise AttributeError(f"module 'tfx_lite.saved_model' has no attribute {name!r}")
