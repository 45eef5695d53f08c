"""python -m tfx_lite.saved_model.stablehlo export|describe|run (see the package docstring)."""
from __future__ import annotations

import argparse
import json
import re
import sys

import numpy as np

from compiler.types import dtype_from_short_name, short_dtype_name
from tfx_lite.framework import errors
from tfx_lite.saved_model.stablehlo.exporting import export_stablehlo
from tfx_lite.saved_model.stablehlo.loading import load_stablehlo

# --- command line ---------------------------------------------------------------------------

_FILL = re.compile(r"^(?P<dtype>[a-z]+\d*)?\[(?P<dims>[\d,\s]*)\](?:=|:)(?P<value>.+)$")
_NAMED = re.compile(r"^(?P<name>[A-Za-z_][\w.]*)=(?P<rest>.+)$", re.S)


def _parse_input(text, spec):
    """A command-line value for input `spec` (see the module docstring)."""
    fill = _FILL.match(text.strip())
    want = np.dtype(spec.dtype.as_numpy_dtype)
    if fill:
        if fill["dtype"]:
            try:
                given = dtype_from_short_name(fill["dtype"])
            except KeyError:
                raise ValueError(f"{text!r}: unknown dtype {fill['dtype']!r} (use f32, i32, ...)") from None
            if given != want:
                raise ValueError(f"{text!r}: input {spec.name!r} is {short_dtype_name(want)}, not "
                                 f"{fill['dtype']}")
        dims = [int(d) for d in fill["dims"].replace(" ", "").split(",") if d]
        return np.full(dims, json.loads(fill["value"]), dtype=want)
    if text.startswith("@"):
        return np.load(text[1:], allow_pickle=False)
    return np.asarray(json.loads(text), dtype=want)


def _main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m tfx_lite.saved_model.stablehlo",
                                     description="Export a SavedModel signature as StableHLO, "
                                                 "describe or run such an export.")
    commands = parser.add_subparsers(dest="command", required=True)
    exporting = commands.add_parser("export", help="export a SavedModel signature")
    exporting.add_argument("saved_model_dir")
    exporting.add_argument("out_dir")
    exporting.add_argument("--signature", default="serving_default")
    exporting.add_argument("--platforms", default=None, help="comma-separated, e.g. cpu,cuda")
    describing = commands.add_parser("describe", help="print the recorded signature")
    describing.add_argument("out_dir")
    running = commands.add_parser("run", help="run an export on given values, print the outputs")
    running.add_argument("out_dir")
    running.add_argument("--input", action="append", default=[], metavar="[NAME=]VALUE")
    args = parser.parse_args(argv)
    try:
        if args.command == "export":
            import tfx_lite as tf
            loaded = tf.saved_model.load(args.saved_model_dir)
            signatures = loaded.signatures
            if args.signature not in signatures:
                raise KeyError(f"{args.saved_model_dir} has no signature {args.signature!r}; it has "
                               f"{', '.join(sorted(signatures)) or 'none'}")
            export_stablehlo(signatures[args.signature], args.out_dir, platforms=args.platforms)
            print(load_stablehlo(args.out_dir).describe())
        elif args.command == "describe":
            print(load_stablehlo(args.out_dir).describe())
        else:
            served = load_stablehlo(args.out_dir)
            by_name = {s.name: s for s in served.inputs}
            positional, named = [], {}
            for text in args.input:
                match = _NAMED.match(text)
                if match and match["name"] in by_name:
                    named[match["name"]] = _parse_input(match["rest"], by_name[match["name"]])
                else:
                    if named:
                        raise ValueError(f"--input {text!r}: give positional inputs before named ones")
                    if len(positional) >= len(served.inputs):
                        raise ValueError(f"too many --input values; {served.name} takes "
                                         f"{len(served.inputs)}")
                    positional.append(_parse_input(text, served.inputs[len(positional)]))
            for spec, tensor in zip(served.outputs, served.call_flat(*positional, **named)):
                print(f"{spec.name}: {tensor!r}")
    except (errors.OpError, ValueError, TypeError, KeyError, OSError) as err:
        print(f"error: {err.args[0] if isinstance(err, KeyError) and err.args else err}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(_main())
