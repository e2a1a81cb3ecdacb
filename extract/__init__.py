"""bulletin-extract: Chinese administrative bulletins (text, text-layer PDF, scans) into typed JSON.

The library API (the `bulletin` command is a thin layer over it)::

    import extract

    bulletin = extract.extract_file("2020-08.pdf")      # or extract.extract_text(text)
    scan = extract.extract_file("scan.tif", extract.ReadOptions(ocr_engine="tesseract"))
    print(bulletin.parts[0].sections[0].figures)         # typed records (pydantic)
    open("2020-08.json", "w").write(extract.to_json(bulletin))

The names are imported when first used, so that `import extract` (and the command's start) costs no
more than the stage a call needs.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

# the public name → the module that defines it
_API = {
    "extract_file": "pipeline",
    "extract_text": "pipeline",
    "extract_source": "pipeline",
    "ReadOptions": "read",
    "Bulletin": "models",
    "to_json": "write",
    "to_json_line": "write",
    "InputError": "errors",
}

__all__ = [*_API, "__version__"]

if TYPE_CHECKING:
    from .errors import InputError as InputError
    from .models import Bulletin as Bulletin
    from .read import ReadOptions as ReadOptions
    from .pipeline import extract_file as extract_file, extract_source as extract_source, extract_text as extract_text
    from .write import to_json as to_json, to_json_line as to_json_line


def _installed_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("bulletin-extract")
    except PackageNotFoundError:  # run from a source tree that was never installed
        return "0+unknown"


def __getattr__(name: str):
    if name == "__version__":
        return _installed_version()
    if name in _API:
        return getattr(import_module(f".{_API[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)
