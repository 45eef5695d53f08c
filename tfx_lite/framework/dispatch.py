"""TF's op dispatch for composite tensors. An API decorated with `add_dispatch_support` runs as
usual; only when it fails and a composite tensor (RaggedTensor, SparseTensor) is among its
arguments are the handlers registered for it with `dispatch_for` tried, so plain calls pay
nothing but one frame. A handler returns NotImplemented for arguments it does not take.
"""
from __future__ import annotations

import functools

from tfx_lite.framework.composite import composites, has_composite


def add_dispatch_support(fn):
    handlers: list = []

    @functools.wraps(fn)
    def api(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except Exception as err:
            if not has_composite(args, kwargs):
                raise
            for handler in handlers:
                result = handler(*args, **kwargs)
                if result is not NotImplemented:
                    return result
            raise _unsupported(fn, args, kwargs, err) from None

    api._dispatch_handlers = handlers
    return api


def add_dispatch_support_to(namespace: dict, names) -> None:
    """Give every public op of a module dispatch support (as TF decorates each of its ops), so
    a composite argument to any of them is either handled or refused with the op's name."""
    for name in names:
        fn = namespace.get(name)
        if callable(fn) and not isinstance(fn, type) and not hasattr(fn, "_dispatch_handlers"):
            namespace[name] = add_dispatch_support(fn)


def dispatch_for(*apis):
    """Register the decorated function as a handler of each API in `apis`."""
    def register(handler):
        for api in apis:
            api._dispatch_handlers.append(handler)
        return handler
    return register


def dispatch_for_each(apis, make_handler):
    """Register `make_handler(api)` for each API (one handler shape for a family of ops, such as
    the elementwise ones)."""
    for api in apis:
        api._dispatch_handlers.append(make_handler(api))


def _unsupported(fn, args, kwargs, err):
    """TF's error type (a conversion's ValueError, else TypeError), naming the op and the
    composite type it does not take."""
    kinds = sorted({type(a).__name__ for a in composites(args, kwargs)})
    message = (f"tf.{fn.__name__} does not support {' or '.join(kinds)} inputs: {err}")
    return ValueError(message) if isinstance(err, ValueError) else TypeError(message)

