"""Records what real Keras computes for the cases of ../layer_cases.py; run with TensorFlow 2.21 /
Keras 3.15.1 (not a dependency of tfx_lite):

    /work/tfref/bin/python tests/tfx_lite/keras/data/keras_layers_reference.py

writes keras_layers_reference.json next to this file: per case the Keras weight names and shapes,
the initial values of deterministic weights, the outputs after the formula weights were set, the
weights after the call (BatchNormalization training), the symbolic output shapes for inputs with
an unknown batch, and the layer's get_config()."""
import importlib.util
import json
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import keras  # noqa: E402
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location("layer_cases", os.path.join(HERE, "..", "layer_cases.py"))
cases = importlib.util.module_from_spec(spec)
spec.loader.exec_module(cases)


def jsonable(value):
    if isinstance(value, dict):
        return {k: jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    if isinstance(value, (np.floating, np.integer)):
        return value.item()
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    return repr(value)


def as_list(out):
    return list(out) if isinstance(out, (list, tuple)) else [out]


def symbolic(case):
    layer = getattr(keras.layers, case["cls"])(**case["kwargs"])
    inputs = [keras.Input(shape=s[1:], dtype="int32" if isinstance(k, (list, tuple)) else "float32")
              for s, k in case["inputs"]]
    kwargs = {}
    for key, value in case.get("call", {}).items():
        if isinstance(value, dict) and "arrays" in value:
            kwargs[key] = [keras.Input(shape=s[1:]) for s, _ in value["arrays"]]
        elif not isinstance(value, dict):
            kwargs[key] = value
    out = layer(inputs if case["multi"] else inputs[0], **kwargs)
    return [list(t.shape) for t in as_list(out)]


def record(case):
    layer = getattr(keras.layers, case["cls"])(**case["kwargs"])
    config = jsonable(layer.get_config())
    x = cases.inputs_of(case)
    kwargs = cases.call_kwargs_of(case)
    build_kwargs = {k: v for k, v in kwargs.items() if k != "training"}
    layer(x, **build_kwargs)  # builds (inference)
    result = {"weight_names": [w.name for w in layer.weights],
              "weight_shapes": [list(w.shape) for w in layer.weights],
              "config": config}
    if case.get("initial"):
        result["initial"] = {str(i): np.asarray(layer.weights[i]).tolist() for i in case["initial"]}
    if layer.weights:
        layer.set_weights(cases.make_weights([tuple(w.shape) for w in layer.weights], case["positive"]))
    out = layer(x, **kwargs)
    result["outputs"] = [np.asarray(o).tolist() for o in as_list(out)]
    if case.get("after"):
        result["weights_after"] = [w.tolist() for w in layer.get_weights()]
    result["symbolic_shapes"] = symbolic(case)
    return result


if __name__ == "__main__":
    data = {"recorded_with": f"TensorFlow {tf.__version__}, Keras {keras.__version__}",
            "cases": {name: record(case) for name, case in cases.CASES.items()}}
    with open(os.path.join(HERE, "keras_layers_reference.json"), "w") as f:
        json.dump(data, f, indent=None, separators=(",", ":"))
        f.write("\n")
    print(f"{len(data['cases'])} cases recorded")
