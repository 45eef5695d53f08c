"""The eager-vs-compiled workloads behind `tfx-lite bench`.

The files here are standalone scripts, not a package API: `worker.py` is run as
`python worker.py --framework F --workload W [--quick]` by interpreters that may have real
TensorFlow, raw JAX or Keras 3 on JAX instead of tfx_lite, and it imports its siblings by
their bare names with its own directory on sys.path. This file only makes setuptools ship
the directory with the tfx_lite package.
"""
