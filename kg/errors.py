"""The exceptions respkg raises; the CLI turns each into a one-line message and exit 1."""

__all__ = ["RespkgError", "InputError", "LayoutError", "RecordError", "QueryError"]


class RespkgError(Exception):
    """Base class of every error respkg reports to a user."""


class InputError(RespkgError):
    """A source file cannot be read: missing, empty, undecodable."""


class LayoutError(RespkgError):
    """A source file does not hold the expected table, or the table breaks off.

    The message names the file and line and says what was expected there.
    """

    def __init__(self, file: str, line: int | None, message: str):
        self.file, self.line, self.reason = file, line, message
        where = f"{file}:{line}" if line else file
        super().__init__(f"{where}: {message}")

    def __reduce__(self):
        # rebuilt from its own arguments: a worker process of the build sends it back pickled, and
        # the default (the formatted message alone) fails to unpickle and hangs the pool
        return type(self), (self.file, self.line, self.reason)


class RecordError(RespkgError):
    """A records file breaks the JSON Lines records format."""


class QueryError(RespkgError):
    """A query that cannot be run: a syntax error, an update, a missing or unknown parameter."""
