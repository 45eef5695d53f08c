"""Which strategy is current: the innermost `strategy.scope()`, else the default strategy (one
replica, the default device), as `tf.distribute.get_strategy()` returns in TF."""
from __future__ import annotations

_SCOPES: list = []  # strategies whose scope is entered, innermost last
_DEFAULT: list = []


def current_strategy():
    """The strategy of the innermost scope, or None outside every scope."""
    return _SCOPES[-1] if _SCOPES else None


def get_strategy():
    """tf.distribute.get_strategy: the current strategy (the default one outside any scope)."""
    if _SCOPES:
        return _SCOPES[-1]
    if not _DEFAULT:
        from tfx_lite.distribute.strategy import DefaultStrategy
        _DEFAULT.append(DefaultStrategy())
    return _DEFAULT[0]


def has_strategy() -> bool:
    """tf.distribute.has_strategy: whether a (non-default) strategy's scope is entered."""
    return bool(_SCOPES)


def in_cross_replica_context() -> bool:
    """tf.distribute.in_cross_replica_context: inside a strategy's scope and not in `run`'s
    per-replica function."""
    from tfx_lite.distribute import replica
    return bool(_SCOPES) and replica.current_replica_context() is None


def get_replica_context():
    """tf.distribute.get_replica_context: in `strategy.run`'s function its ReplicaContext;
    outside any scope the default one (one replica); None in a scope's cross-replica code."""
    from tfx_lite.distribute import replica
    ctx = replica.current_replica_context()
    if ctx is not None:
        return ctx
    if _SCOPES:
        return None
    return replica.ReplicaContext(get_strategy(), replica_id=0)
