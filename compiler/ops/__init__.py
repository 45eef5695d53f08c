"""The op set, one module per family. Importing this package registers every op."""
import jax

# TensorFlow's dtypes include int64/float64/complex128; JAX only keeps them in x64 mode.
jax.config.update("jax_enable_x64", True)

from compiler.ops import array, autodiff, control, distribute, io, linalg, math, nn, optim, random, sparse, strings  # noqa: E402,F401,E501
