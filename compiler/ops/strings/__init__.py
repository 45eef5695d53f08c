"""String ops: host (numpy) implementations over arrays of Python `bytes` (see host.py).
Importing this package registers every one of them."""
from compiler.ops.strings import characters, conversion, farmhash, regex, split_join, tensor_summary, unicode
from compiler.ops.strings.farmhash import fingerprint64
from compiler.ops.strings.host import StringOpError, host_operand
from compiler.ops.strings.re2 import Re2SyntaxError, compile_re2

__all__ = ["characters", "conversion", "farmhash", "regex", "split_join", "tensor_summary", "unicode",
           "Re2SyntaxError", "StringOpError", "compile_re2", "fingerprint64", "host_operand"]
