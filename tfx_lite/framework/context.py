"""Whether ops run now (eager) or are recorded into a graph."""
from compiler import current_builder


def executing_eagerly() -> bool:
    return current_builder() is None
