"""Where `bulletin extract -o` writes each input's JSON, decided before anything is read, so that no
output overwrites an input or another input's output.

- `-o FILE` with one input: that file (its folder is created when missing);
- `-o FOLDER` (an existing folder, a name ending in `/`, or several inputs): `FOLDER/<stem>.json`; two
  inputs with the same stem (`a/x.txt`, `b/x.txt`, `x.pdf`) get `x.json`, `x-2.json`, `x-3.json` in
  input order; a stem too long for a file name is cut to fit.
"""

from __future__ import annotations

import os
from pathlib import Path

from .write import fit_name


class OutputError(Exception):
    """An output that cannot be written where planned (its folder cannot be made, or it would overwrite an
    input): the path and the reason."""

    def __init__(self, path: str, reason: str):
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


def plan_outputs(files: list[str], output: str | None) -> list[str | None]:
    """The output file of each input, in order (None: stdout)."""
    if output is None:
        return [None] * len(files)
    folder_wanted = len(files) > 1 or output.endswith(("/", os.sep)) or os.path.isdir(output)
    if folder_wanted:
        _make_folder(output, output)
        targets = _folder_names(files, output)
    else:
        _make_folder(os.path.dirname(output) or ".", output)
        targets = [output]
    _refuse_overwriting_inputs(files, targets)
    return list[str | None](targets)


def _make_folder(folder: str, shown_as: str) -> None:
    try:
        os.makedirs(folder, exist_ok=True)
    except FileExistsError:
        raise OutputError(shown_as, "a file stands where the output folder would go") from None
    except OSError as exc:
        raise OutputError(shown_as, f"cannot create the output folder ({exc.strerror or exc})") from None


def _folder_names(files: list[str], folder: str) -> list[str]:
    taken: set[str] = set()
    out = []
    for f in files:
        stem = "stdin" if f == "-" else Path(f).stem or "document"
        name, k = fit_name(stem, ".json"), 1
        while name.casefold() in taken:  # case-insensitive file systems would merge X.json and x.json
            k += 1
            name = fit_name(stem, f"-{k}.json")
        taken.add(name.casefold())
        out.append(os.path.join(folder, name))
    return out


def _refuse_overwriting_inputs(files: list[str], targets: list[str]) -> None:
    inputs = {os.path.realpath(f) for f in files if f != "-"}  # "-": standard input
    for target in targets:
        if os.path.realpath(target) in inputs:
            raise OutputError(target, "the output would overwrite an input file; choose another output")
