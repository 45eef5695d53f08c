"""Export a traced function as serialized StableHLO (`jax.export`) for serving, and load it back
without tfx_lite's tracer, IR or the Python code that defined the function.

    import tfx_lite as tf
    from tfx_lite.saved_model.stablehlo import export_stablehlo, load_stablehlo

    @tf.function(input_signature=[tf.TensorSpec([None, 3], tf.float32, name="x")])
    def predict(x):
        return {"scores": tf.matmul(x, kernel) + bias}

    export_stablehlo(predict, "/tmp/predict_hlo")            # or a ConcreteFunction, e.g.
    # export_stablehlo(tf.saved_model.load(d).signatures["serving_default"], "/tmp/predict_hlo")
    served = load_stablehlo("/tmp/predict_hlo")
    served.inputs        # [TensorSpec(shape=(None, 3), dtype=tf.float32, name='x')]
    served(tf.ones([5, 3]))["scores"]                        # also served(x=...)

The artifact is a directory:
- `stablehlo.json`: a checksummed manifest (format "tfx_lite.stablehlo", version 1): the
  function's name; its inputs' names, dtypes and shapes (an unknown dimension is recorded by its
  symbol name, e.g. "batch"); its outputs' names, dtypes and shapes and their Python structure
  (a tensor, tuple, list or dict); the captured variables' names, dtypes and shapes; the
  platforms; the jax version and calling-convention version; the sha256 of the two files below.
- `module.bin`: `jax.export.export(...).serialize()` of the function of (inputs..., variables...).
- `variables.npz`: the variables' values when exported (passed to the module as trailing
  inputs, not baked in as constants).

Unknown dimensions (None) become `jax.export` symbolic dimensions: first each its own symbol;
if the function needs some of them equal (`x + y` with both [None, 3]), leading unknown
dimensions share one symbol `batch`, then every unknown dimension on the same axis shares one.
A function whose lowering needs the value of an unknown dimension (`tf.shape(x)[0]` used as a
static size, a reshape to it) cannot be exported with it: export_stablehlo then asks for fully
known input shapes. Symbolic dimensions take sizes >= 1.

Refused at export: a function that assigns variables (serving functions must be pure), string
inputs, composite (ragged, sparse) inputs or outputs.

Loading never executes stored code (no pickle, no Python eval): the manifest is JSON, the arrays
are read with allow_pickle=False, and the module bytes are handed to `jax.export.deserialize`
only after their sha256 matched the (checksummed) manifest. A missing, truncated, bit-flipped
or version-mismatched file raises NotFoundError, DataLossError or ValueError naming the file and
the problem, before anything is built.

Serialization needs the `flatbuffers` package (jax.export's serialization format).

Command line:

    python -m tfx_lite.saved_model.stablehlo export SAVED_MODEL_DIR OUT_DIR \\
        [--signature serving_default] [--platforms cpu,cuda]
    python -m tfx_lite.saved_model.stablehlo describe OUT_DIR
    python -m tfx_lite.saved_model.stablehlo run OUT_DIR --input VALUE [--input VALUE ...]

`run` takes one `--input` per input, in order, or `NAME=VALUE` by input name. VALUE is a JSON
number or nested list (`'[[1, 2, 3]]'`, converted to the input's dtype), a filled shape
(`'[2,3]=1.0'`, optionally with the dtype's short name first: `'f32[2,3]=1.0'`), or `@FILE.npy`
(read with allow_pickle=False). It prints each output as `name: tf.Tensor(...)`.
"""

from tfx_lite.saved_model.stablehlo.artifact import FORMAT, VERSION  # noqa: F401
from tfx_lite.saved_model.stablehlo.exporting import export_stablehlo  # noqa: F401
from tfx_lite.saved_model.stablehlo.loading import LoadedStableHLO, load_stablehlo  # noqa: F401

__all__ = ["export_stablehlo", "load_stablehlo", "LoadedStableHLO", "FORMAT", "VERSION"]
