"""The one error type a reader or stage raises for bad input: it names the file and the reason."""


class InputError(Exception):
    """Bad input: `path` names the file, `reason` says what is wrong with it, in one line."""

    def __init__(self, path: str, reason: str):
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


def failure(path: str, exc: Exception) -> InputError:
    """What a document that failed reports, in one line: its InputError as raised, running out of memory,
    or (a bug must not stop a batch, and must say where it happened) an internal error naming the exception."""
    if isinstance(exc, InputError):
        return exc
    if isinstance(exc, MemoryError):
        return InputError(path, "out of memory")
    return InputError(path, f"internal error: {type(exc).__name__}: {exc}")


def shown(text: str) -> str:
    """A path or reason as one line of a message: control characters (a newline in a file name would
    split the message, or forge a second one) are written as escapes."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


def message(path: str, reason: str) -> str:
    """The one-line error every command prints: `bulletin: PATH: reason`."""
    return f"bulletin: {shown(path)}: {shown(reason)}"
