"""What the tfx-lite subcommands raise to end with a status: UsageError (2: the command line or
the inputs; one line on stderr) and ScriptError (1: the user's code raised; its traceback)."""


class UsageError(Exception):
    """A problem with the command line or the inputs: exit 2 with this one-line message."""


class ScriptError(Exception):
    """The user's code raised (running the script, tracing): exit 1, traceback printed."""
