"""`ag__`: the names converted code calls (see converter.py for the code that calls them)."""
from tfx_lite.autograph.calls import converted_call, for_range  # noqa: F401
from tfx_lite.autograph.control_flow import (  # noqa: F401
    and_, for_stmt, if_exp, if_stmt, not_, or_, while_stmt)
from tfx_lite.autograph.undefined import Undefined, UndefinedReturnValue, ld  # noqa: F401

__all__ = ["converted_call", "for_range", "and_", "for_stmt", "if_exp", "if_stmt", "not_", "or_",
           "while_stmt", "Undefined", "UndefinedReturnValue", "ld"]
