"""The one error type a reader or stage raises for bad input: it names the file and the reason."""


class InputError(Exception):
    def __init__(self, path: str, reason: str):
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason
