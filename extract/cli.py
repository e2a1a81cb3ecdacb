"""The `bulletin` command: thin argument parsing over the library."""
from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import Optional

import typer

app = typer.Typer(add_completion=False, no_args_is_help=True, help="Turn Chinese administrative bulletins into typed, verifiable JSON.")


class OcrMode(str, Enum):
    auto = "auto"
    always = "always"
    never = "never"


class OcrEngineName(str, Enum):
    rapidocr = "rapidocr"
    tesseract = "tesseract"


def _fail(path: str, reason: str) -> None:
    print(f"bulletin: {path}: {reason}", file=sys.stderr)


@app.command()
def extract(
    files: list[str] = typer.Argument(..., help="bulletin files: text (UTF-8 or GB18030), PDF (text layer or scanned), PNG/JPEG/TIFF scans"),
    output: Optional[Path] = typer.Option(None, "-o", "--output", help="write JSON here: a file for one input, a folder for several"),
    password: Optional[str] = typer.Option(None, "--password", help="password of encrypted PDFs"),
    ocr: OcrMode = typer.Option(OcrMode.auto, "--ocr", help="auto: OCR pages without a text layer and images; always: every page; never: none"),
    ocr_engine: OcrEngineName = typer.Option(OcrEngineName.rapidocr, "--ocr-engine", help="rapidocr (extra 'ocr') or tesseract (Debian tesseract-ocr-chi-sim)"),
) -> None:
    """Extract one or more bulletins to JSON (stdout, a file, or a folder)."""
    from .errors import InputError
    from .pipeline import extract_file
    from .write import to_json, write_atomic

    failed = 0
    for f in files:
        try:
            data = to_json(extract_file(f, password=password, ocr=ocr.value, ocr_engine=ocr_engine.value))
        except InputError as exc:
            _fail(exc.path, exc.reason)
            failed += 1
            continue
        except Exception as exc:  # a bug must not stop the batch, and must say where it happened
            _fail(f, f"internal error: {type(exc).__name__}: {exc}")
            failed += 1
            continue
        if output is None:
            sys.stdout.write(data)
        else:
            target = output
            if len(files) > 1 or output.is_dir():
                output.mkdir(parents=True, exist_ok=True)
                target = output / (Path(f).stem + ".json")
            write_atomic(str(target), data)
    if failed:
        raise typer.Exit(1)


@app.command()
def schema() -> None:
    """Print the JSON Schema of the output."""
    from .schema import schema_text

    sys.stdout.write(schema_text())


def main() -> None:
    app()


if __name__ == "__main__":
    main()
