"""The `bulletin` command: thin argument parsing over the library."""

from __future__ import annotations

import os
import sys
from enum import Enum
from pathlib import Path

import time

import typer

from .limits import DEFAULT_TIMEOUT, usable_cores
from .read import ENGINES, OCR_MODES, ReadOptions

app = typer.Typer(
    add_completion=True,  # --install-completion, --show-completion (bash, zsh, fish, PowerShell)
    no_args_is_help=True,
    context_settings={"help_option_names": ["-h", "--help"]},
    help="Turn Chinese administrative bulletins into typed, verifiable JSON.",
)


def _print_version(asked: bool) -> None:
    if asked:
        from . import __version__

        typer.echo(f"bulletin-extract {__version__}")
        raise typer.Exit()


@app.callback()
def _options(
    version: bool = typer.Option(
        False, "--version", callback=_print_version, is_eager=True, help="Print the version and exit."
    ),
) -> None:
    """Turn Chinese administrative bulletins into typed, verifiable JSON."""


# the choices, from the one place each is defined (typer takes an Enum)
# (mypy cannot see members computed at import: the defaults are looked up by value)
OcrMode = Enum("OcrMode", {mode: mode for mode in OCR_MODES}, type=str)  # type: ignore[misc]
OcrEngineName = Enum("OcrEngineName", {name.replace("-", "_"): name for name in ENGINES}, type=str)  # type: ignore[misc]


def _fail(path: str, reason: str) -> None:
    from .errors import message

    print(message(path, reason), file=sys.stderr)


EXIT_GRACE = 3.0  # seconds the exit hooks may take after a stopped batch (the goal: stopped within 5 s)
TIMEOUT_HELP = "seconds a document may take, plus 10 s for each page (0: no limit)"


@app.command()
def extract(
    files: list[str] = typer.Argument(
        ...,
        help="bulletin files: text (UTF-8 or GB18030), PDF (text layer or scanned), "
        "PNG/JPEG/TIFF scans; - for standard input",
    ),
    output: str | None = typer.Option(
        None,
        "-o",
        "--output",
        help="write JSON here: a file for one input, a folder "
        "for several (or a name ending in /); without it, JSON to stdout (JSON Lines for several)",
    ),
    password: str | None = typer.Option(None, "--password", help="password of encrypted PDFs"),
    ocr: OcrMode = typer.Option(
        OcrMode("auto"),
        "--ocr",
        help="auto: OCR pages without a text layer and images; always: every page; never: none",
    ),
    ocr_engine: OcrEngineName = typer.Option(
        OcrEngineName("rapidocr"),
        "--ocr-engine",
        help="rapidocr (extra 'ocr': on OpenVINO when installed, else onnxruntime; or name the runtime) "
        "or tesseract (Debian tesseract-ocr-chi-sim)",
    ),
    timeout: float = typer.Option(DEFAULT_TIMEOUT, "--timeout", min=0, help=TIMEOUT_HELP),
    verbose: bool = typer.Option(
        False, "--verbose", "-v", help="after each document, a line on stderr with what was found, and its warnings"
    ),
) -> None:
    """Extract one or more bulletins to JSON (stdout, a file, or a folder)."""
    from .outputs import OutputError, plan_outputs

    try:
        targets = plan_outputs(files, output)
    except OutputError as exc:
        _fail(exc.path, exc.reason)
        raise typer.Exit(2)
    options = ReadOptions(password=password, ocr=ocr.value, ocr_engine=ocr_engine.value)
    failed = 0
    for f, target in zip(files, targets):
        started = time.perf_counter()
        doc = _extracted(f, options, timeout)
        if doc is None or not _written(doc, target, as_line=len(files) > 1):
            failed += 1
        elif verbose:
            _report_document(doc, time.perf_counter() - started)
    if failed:
        raise typer.Exit(1)


def _extracted(f: str, options: ReadOptions, timeout: float):
    """The bulletin of one input (a path, or - for standard input), or None after its one-line error."""
    from .errors import failure
    from .pipeline import extract_file

    try:
        if f == STDIN:
            return _extract_stdin(lambda path: extract_file(path, options, timeout))
        return extract_file(f, options, timeout)
    except Exception as exc:
        error = failure(f, exc)
        _fail(error.path, error.reason)
    return None


def _written(doc, target: str | None, as_line: bool) -> bool:
    """The bulletin's JSON written to its file, or to stdout (a JSON Lines line among several); False
    after a one-line error."""
    from .write import to_json, to_json_line, write_atomic

    try:
        if target is None:
            sys.stdout.write(to_json_line(doc) if as_line else to_json(doc))
            sys.stdout.flush()
        else:
            write_atomic(target, to_json(doc))
    except OSError as exc:
        _fail(target or "<stdout>", f"cannot write: {exc.strerror or exc}")
        return False
    return True


def _report_document(doc, seconds: float) -> None:
    """`extract: FILE: 2 parts, 14 sections, 31 figures, 12 dates, 5 tasks, 3 people, 1 warning (0.42 s)`,
    then each warning on a line of its own."""
    from .errors import shown

    def sections(nodes):
        for s in nodes:
            yield s
            yield from sections(s.subsections)

    every = [s for p in doc.parts for s in sections(p.sections)]
    counts = {
        "parts": len(doc.parts),
        "sections": len(every),
        "figures": sum(len(x.figures) for x in [*doc.parts, *every]),
        "dates": sum(len(x.dates) for x in [*doc.parts, *every]),
        "tasks": sum(1 for s in every if s.task is not None),
        "people": sum(len(x.people) for x in [*doc.parts, *every]),
        "warnings": len(doc.warnings),
    }
    singular = {"people": "person"}
    found = ", ".join(f"{n} {singular.get(what, what[:-1]) if n == 1 else what}" for what, n in counts.items())
    print(shown(f"extract: {doc.source.path}: {found} ({seconds:.2f} s)"), file=sys.stderr)
    for w in doc.warnings:
        print(shown(f"  {w.code}: {w.message}"), file=sys.stderr)


STDIN = "-"  # the input named so is read from standard input
STDIN_NAME = "<stdin>"  # its name in messages and in source.path


def _extract_stdin(extract_path):
    """Standard input, spooled to a private file (the readers seek: a PDF is read from its end), then
    extracted like any file; its format is found from its content."""
    import tempfile

    from .errors import InputError
    from .limits import MAX_PDF_BYTES

    data = sys.stdin.buffer.read(MAX_PDF_BYTES + 1)
    if len(data) > MAX_PDF_BYTES:
        raise InputError(STDIN_NAME, f"too large (more than {MAX_PDF_BYTES / 2**20:.0f} MB)")
    with tempfile.TemporaryDirectory(prefix="bulletin-stdin-") as folder:
        path = os.path.join(folder, "stdin")
        with open(path, "wb") as fh:
            fh.write(data)
        try:
            doc = extract_path(path)
        except InputError as exc:
            raise InputError(STDIN_NAME, exc.reason) from None
    return doc.model_copy(update={"source": doc.source.model_copy(update={"path": STDIN_NAME})})


class Executor(str, Enum):
    """Where `batch --executor` runs its workers: a local process pool, or a Dask distributed cluster."""

    local = "local"
    dask = "dask"


class Kind(str, Enum):
    """What `search --kind` lists: figures, tasks or sections."""

    figures = "figures"
    tasks = "tasks"
    sections = "sections"


@app.command()
def batch(
    inputs: list[str] = typer.Argument(
        ..., help="files, folders (walked recursively) or globs of bulletins of every supported kind"
    ),
    output: Path = typer.Option(
        ..., "-o", "--output", help="output folder: json/, bulletins.jsonl, bulletins.db, errors.jsonl"
    ),
    jobs: int = typer.Option(
        usable_cores(),
        "--jobs",
        "-j",
        min=1,
        help="worker processes (local executor; default: the cores this process may use)",
    ),
    resume: bool = typer.Option(
        True,
        "--resume/--no-resume",
        help="skip documents already in the output (by content sha256); --no-resume starts the output over",
    ),
    executor: Executor = typer.Option(
        Executor.local, "--executor", help="local: a process pool; dask: a Dask distributed cluster"
    ),
    scheduler: str | None = typer.Option(None, "--scheduler", help="the Dask scheduler's address (tcp://host:8786)"),
    password: str | None = typer.Option(None, "--password", help="password of encrypted PDFs"),
    ocr: OcrMode = typer.Option(OcrMode("auto"), "--ocr", help="as for extract"),
    ocr_engine: OcrEngineName = typer.Option(OcrEngineName("rapidocr"), "--ocr-engine", help="as for extract"),
    timeout: float = typer.Option(DEFAULT_TIMEOUT, "--timeout", min=0, help=TIMEOUT_HELP),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="no progress and no summary line: errors only"),
    verbose: bool = typer.Option(
        False, "--verbose", "-v", help="a line per document on a terminal too (above the progress bar)"
    ),
) -> None:
    """Extract a shelf of bulletins into one folder, resumable; exit 3 when some documents failed. On a
    terminal a progress bar shows; otherwise (cron, a log file) one line per document."""
    from .batch import BatchError, Options, Terminated, run_batch
    from .errors import shown

    progress, update = _progress(quiet, verbose)
    try:
        with progress:
            summary = run_batch(
                inputs,
                output,
                jobs=jobs,
                resume=resume,
                executor=executor.value,
                scheduler=scheduler,
                options=Options(ReadOptions(password=password, ocr=ocr.value, ocr_engine=ocr_engine.value), timeout),
                progress=update,
            )
    except BatchError as exc:
        print(f"bulletin: {shown(str(exc))}", file=sys.stderr)
        raise typer.Exit(2)
    except KeyboardInterrupt as exc:
        why = "stopped (SIGTERM)" if isinstance(exc, Terminated) else "interrupted"
        print(f"bulletin: {why}; what was finished is kept, run the same command again to go on", file=sys.stderr)
        code = 143 if isinstance(exc, Terminated) else 130
        # every output is closed and committed by now; the interpreter's exit hooks join the process
        # pool's manager thread, which an interrupt at the wrong moment can leave waiting forever: a
        # watchdog ends the process if they take longer than EXIT_GRACE
        import threading

        sys.stderr.flush()
        watchdog = threading.Timer(EXIT_GRACE, os._exit, args=(code,))
        watchdog.daemon = True
        watchdog.start()
        raise typer.Exit(code)
    for path, reason in summary.errors:
        _fail(path, reason)
    if not quiet:
        print(shown(summary.line(output)), file=sys.stderr)
    if summary.failed:
        raise typer.Exit(3)


def _progress(quiet: bool = False, verbose: bool = False):
    """A rich progress bar on a terminal (documents/s, ETA, failures); elsewhere one plain line on
    stderr per document (`batch: [12/240] a/2020-08.pdf (1 failed)`; errors stay `bulletin: FILE: reason`),
    so that a long run in cron leaves a trace, and on a terminal too with --verbose; nothing with --quiet."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    from .errors import shown

    console = Console(stderr=True)
    progress = Progress(
        TextColumn("extracting"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[rate]:.1f} docs/s"),
        TimeRemainingColumn(),
        TextColumn("{task.fields[failed]} failed"),
        console=console,
        disable=quiet or not console.is_terminal,
    )
    task = progress.add_task("batch", total=None, rate=0.0, failed=0)
    started: list[float] = []  # when the first update came
    log_lines = not quiet and (verbose or not console.is_terminal)

    def update(done: int, total: int, failed: int, path: str | None = None) -> None:
        if not started:
            started.append(time.perf_counter())
        elapsed = time.perf_counter() - started[0]
        progress.update(task, completed=done, total=total, failed=failed, rate=done / elapsed if elapsed > 0 else 0.0)
        if log_lines and path is not None:
            line = shown(f"batch: [{done}/{total}] {path}" + (f" ({failed} failed)" if failed else ""))
            if console.is_terminal:
                progress.console.print(line, markup=False, highlight=False)  # above the bar
            else:
                print(line, file=sys.stderr, flush=True)

    return progress, update


@app.command()
def search(
    db: Path = typer.Argument(..., help="a bulletins.db written by batch or load"),
    query: str | None = typer.Argument(None, help="words in the section text (a substring; FTS5 trigram index)"),
    unit: str | None = typer.Option(None, "--unit", help="figures in this normalized unit (元, 人, 件, %)"),
    min_value: float | None = typer.Option(None, "--min", help="figures of at least this value"),
    max_value: float | None = typer.Option(None, "--max", help="figures of at most this value"),
    period_from: str | None = typer.Option(None, "--from", help="from this month, YYYY-MM (the part's period)"),
    period_to: str | None = typer.Option(None, "--to", help="up to this month, YYYY-MM"),
    issuer: str | None = typer.Option(None, "--issuer", help="issuer contains this"),
    leader: str | None = typer.Option(None, "--leader", help="the section's task has this leader (责任领导)"),
    department: str | None = typer.Option(
        None, "--department", help="the section's task has this department (责任部室)"
    ),
    kind: Kind | None = typer.Option(
        None,
        "--kind",
        help="what to list; by default figures when a figure filter is given, "
        "tasks for --leader/--department, else sections for a query",
    ),
    limit: int = typer.Option(100, "--limit", min=0, help="at most this many rows; 0: all"),
    as_json: bool = typer.Option(False, "--json", help="JSON Lines instead of a table"),
    as_csv: bool = typer.Option(False, "--csv", help="CSV for spreadsheets (UTF-8 with a BOM, so Excel reads Chinese)"),
) -> None:
    """Find figures, tasks or sections in a bulletins database."""
    import sqlite3

    from .errors import shown
    from .search import Query, QueryError, search as run_search

    q = Query(
        words=query,
        unit=unit,
        min_value=min_value,
        max_value=max_value,
        period_from=period_from,
        period_to=period_to,
        issuer=issuer,
        leader=leader,
        department=department,
        kind=kind.value if kind else None,
        limit=limit,
    )
    conn = _open_for_reading(db, as_json, as_csv)
    try:
        rows = run_search(conn, q)
    except QueryError as exc:
        print(f"bulletin: {shown(str(exc))}", file=sys.stderr)
        raise typer.Exit(2)
    except sqlite3.Error as exc:  # damaged, or changed by another program
        _fail(str(db), f"cannot search this database ({exc})")
        raise typer.Exit(2)
    finally:
        conn.close()
    _print_rows(rows, as_json, as_csv)


def _open_for_reading(db: Path, as_json: bool, as_csv: bool):
    """A bulletins database opened read-only, after the checks every reading command makes (exit 2)."""
    from . import db as database

    if not db.is_file():
        _fail(str(db), "no such database")
        raise typer.Exit(2)
    if as_json and as_csv:
        print("bulletin: --json and --csv: choose one", file=sys.stderr)
        raise typer.Exit(2)
    try:
        return database.connect_readonly(str(db))
    except database.DatabaseError as exc:
        _fail(str(db), str(exc))
        raise typer.Exit(2)


def _as_written(value):
    """A number as the bulletin's JSON writes it: the database stores figures as REAL, so a whole
    number comes back as 8640000000.0 where the document says 8640000000."""
    return int(value) if isinstance(value, float) and value.is_integer() else value


def _print_rows(rows: list[dict], as_json: bool, as_csv: bool) -> None:
    import json

    if as_json or as_csv:  # the table groups a value's thousands itself (_cell)
        rows = [{k: _as_written(v) for k, v in r.items()} for r in rows]
    if as_json:
        for r in rows:
            sys.stdout.write(json.dumps(r, ensure_ascii=False) + "\n")
    elif as_csv:
        write_csv(rows)
    else:
        _table(rows)


def write_csv(rows: list[dict]) -> None:
    """Rows as CSV on standard output, UTF-8 with a BOM; a list (span, bbox) as its items joined by spaces."""
    import csv
    import io

    out = io.TextIOWrapper(sys.stdout.buffer, encoding="utf-8-sig", newline="")
    writer = csv.writer(out)
    if rows:
        cols = list(rows[0])
        writer.writerow(cols)
        for r in rows:
            writer.writerow(
                [
                    "" if r[c] is None else " ".join(map(str, r[c])) if isinstance(r[c], (list, tuple)) else r[c]
                    for c in cols
                ]
            )
    else:
        out.write("")  # the BOM alone: an empty sheet
    out.flush()
    out.detach()


def _cell(column: str, value) -> str:
    if value is None:
        return ""
    if column == "document":
        return Path(value).name
    if column == "value" and isinstance(value, float):
        return f"{value:,.0f}" if value == int(value) else f"{value:,}"
    text = str(value)
    return text if column != "text" or len(text) < 60 else text[:57] + "…"


def _table(rows: list[dict], console=None) -> None:
    """Rows as a table; on a terminal too narrow for it, as records (one `column: value` line each,
    a blank line between rows), so that no cell is cut to a few characters."""
    from rich.console import Console
    from rich.measure import Measurement
    from rich.table import Table

    if console is None:
        console = Console()
        if not console.is_terminal:
            console.width = 200  # a file or a pipe: no reason to squeeze the columns
    if not rows:
        console.print("no match")
        return
    cols = [c for c in rows[0] if c not in ("kind", "bbox", "span", "value_max", "approx")]
    title = f"{len(rows)} {rows[0]['kind']}{'s' if len(rows) > 1 else ''}"
    table = Table(*cols, title=title)
    for r in rows:
        table.add_row(*(_cell(c, r[c]) for c in cols))
    if Measurement.get(console, console.options.update_width(10**6), table).maximum <= console.width:
        console.print(table)
        return
    console.print(title, highlight=False)
    for r in rows:
        console.print()
        for c in cols:
            console.print(f"{c}: {_cell(c, r[c])}", highlight=False, markup=False)


@app.command()
def review(
    source: Path = typer.Argument(
        ..., help="a bulletin's JSON output (from extract or batch), or a bulletins database with --doc"
    ),
    output: Path = typer.Option(..., "-o", "--output", help="the HTML file to write"),
    doc: str | None = typer.Option(None, "--doc", help="the database's document: its id, a sha256 prefix or its path"),
    db: Path | None = typer.Option(
        None, "--db", help="a database to take the follow-up of a JSON input's planned tasks from"
    ),
    original: Path | None = typer.Option(
        None, "--source", help="the PDF or scan the bulletin was read from, when it is no longer at its recorded path"
    ),
    password: str | None = typer.Option(None, "--password", help="password of an encrypted PDF"),
    pages: bool = typer.Option(
        True, "--pages/--no-pages", help="page images with a box at each item (PDF and scan input)"
    ),
) -> None:
    """Write a self-contained HTML page to check a bulletin's items against its text and pages."""
    from .db import DatabaseError
    from .review import render_review
    from .review_input import ReviewInputError, read_input
    from .write import write_atomic

    try:
        rin = read_input(source, doc, db)
        images, note = _page_images(rin, original, password) if pages else ([], "")
        html = render_review(rin.doc, images, rin.followups, note)
    except (ReviewInputError, DatabaseError) as exc:
        _fail(str(source), str(exc))
        raise typer.Exit(2)
    except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError) as exc:
        _fail(str(source), f"cannot review this file ({type(exc).__name__}: {exc})")
        raise typer.Exit(2)
    write_atomic(str(output), html)
    print(f"review: {output}", file=sys.stderr)


def _page_images(rin, original: Path | None, password: str | None):
    """The source's page images, or none and why (said on stderr too: the review is still written)."""
    from .review_pages import SourceUnavailable, find_source, page_images

    if rin.doc["source"]["format"] == "text":
        return [], ""
    try:
        path = find_source(rin.doc, rin.folders, original)
        return page_images(path, rin.doc, password), ""
    except SourceUnavailable as exc:
        note = f"no page images: {exc}"
    except Exception as exc:  # pdfium or Pillow refusing the file: the text review is still worth having
        note = f"no page images: the source cannot be drawn ({type(exc).__name__}: {exc})"
    _fail(rin.doc["source"]["path"], note)
    return [], note


@app.command()
def followup(
    db: Path = typer.Argument(..., help="a bulletins.db written by batch or load"),
    issuer: str | None = typer.Option(None, "--issuer", help="issuer contains this"),
    period_from: str | None = typer.Option(None, "--from", help="plans from this month, YYYY-MM"),
    period_to: str | None = typer.Option(None, "--to", help="plans up to this month, YYYY-MM"),
    as_json: bool = typer.Option(False, "--json", help="JSON Lines instead of a table"),
    as_csv: bool = typer.Option(False, "--csv", help="CSV for spreadsheets (UTF-8 with a BOM)"),
) -> None:
    """Follow up planned tasks: for each task of a plan part, the later summary section that reports it."""
    import sqlite3

    from .followup import follow_up

    conn = _open_for_reading(db, as_json, as_csv)
    try:
        rows = [f.as_dict() for f in follow_up(conn, issuer, period_from, period_to)]
    except sqlite3.Error as exc:
        _fail(str(db), f"cannot read this database ({exc})")
        raise typer.Exit(2)
    finally:
        conn.close()
    _print_rows([{"kind": "planned task", **r} for r in rows] if not (as_json or as_csv) else rows, as_json, as_csv)


@app.command()
def load(
    files: list[str] = typer.Argument(..., help="JSON outputs (one bulletin each) or JSON Lines (one a line)"),
    db: Path = typer.Option(..., "--db", help="the SQLite database to load into (created when missing)"),
) -> None:
    """Load extracted JSON/JSON Lines into a bulletins database; loading twice adds nothing."""
    from .batch import BatchError, load_outputs

    try:
        added, present, problems = load_outputs(files, str(db))
    except BatchError as exc:
        print(f"bulletin: {exc}", file=sys.stderr)
        raise typer.Exit(2)
    for where, reason in problems:
        _fail(where, reason)
    print(f"load: {added} added, {present} already there, {len(problems)} failed; {db}", file=sys.stderr)
    if problems:
        raise typer.Exit(3)


@app.command()
def schema() -> None:
    """Print the JSON Schema of the output."""
    from .schema import schema_text

    sys.stdout.write(schema_text())


def main() -> None:
    """The `bulletin` command (and `python -m extract`)."""
    app()


if __name__ == "__main__":
    main()
