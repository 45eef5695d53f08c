"""tf.autograph's functions: to_code, to_graph, set_loop_options, Feature, set_verbosity, trace."""
from __future__ import annotations

import enum

from tfx_lite.autograph import conversion
from tfx_lite.autograph.conversion import ConversionError


class Feature(enum.Enum):
    """Optional conversions (TF's tf.autograph.experimental.Feature). tfx_lite acts on
    BUILTIN_FUNCTIONS (a `print` of tensors prints at run time); the others are accepted."""
    ALL = "ALL"
    AUTO_CONTROL_DEPS = "AUTO_CONTROL_DEPS"
    ASSERT_STATEMENTS = "ASSERT_STATEMENTS"
    BUILTIN_FUNCTIONS = "BUILTIN_FUNCTIONS"
    EQUALITY_OPERATORS = "EQUALITY_OPERATORS"
    LISTS = "LISTS"
    NAME_SCOPES = "NAME_SCOPES"

    @classmethod
    def all(cls):
        return tuple(cls.__members__.values())

    @classmethod
    def all_but(cls, exclude):
        exclude = (exclude,) if isinstance(exclude, Feature) else tuple(exclude)
        return tuple(set(cls.all()) - set(exclude) - {cls.ALL})


def autograph_feature_names(options) -> tuple:
    """The names of `experimental_autograph_options` (a Feature, a tuple of them, or None)."""
    if options is None:
        return ()
    options = (options,) if isinstance(options, Feature) else tuple(options)
    for o in options:
        if not isinstance(o, Feature):
            raise TypeError(f"experimental_autograph_options must hold tf.autograph.experimental."
                            f"Feature values, got {o!r}")
    return tuple(o.value for o in options)


def _source_error(entity, error):
    return ConversionError(f"converting {entity!r}: {error}. Functions defined where Python keeps no "
                           "source (an interactive shell, exec) cannot be converted; if the code "
                           "needs no conversion, wrap it with "
                           "@tf.autograph.experimental.do_not_convert.")


def to_graph(entity, recursive=True, experimental_optional_features=None):
    """`entity` (a function or method) converted: its Python control flow on tensors stages
    tf.cond / tf.while_loop when it runs inside a tf.function."""
    python_function = getattr(entity, "python_function", entity)
    try:
        conversion._converted_code(getattr(python_function, "__func__", python_function))
    except ConversionError as error:
        raise _source_error(entity, error) from None
    return conversion.convert(python_function)


def to_code(entity, recursive=True, experimental_optional_features=None) -> str:
    """The source of `entity` after conversion."""
    python_function = getattr(entity, "python_function", entity)
    try:
        return conversion.converted_source(python_function)
    except ConversionError as error:
        raise _source_error(entity, error) from None


def set_loop_options(parallel_iterations=None, swap_memory=None, maximum_iterations=None,
                     shape_invariants=None):
    """Accepted for TF compatibility: tfx_lite's loops carry fixed shapes (XLA) and the options
    do not change what a loop computes, so they are ignored."""


def set_verbosity(level, alsologtostdout=False):
    """Accepted for TF compatibility (tfx_lite logs conversion failures as warnings)."""


def trace(*args):
    """tf.autograph.trace: prints its arguments (at trace time inside a tf.function)."""
    print(*args)
