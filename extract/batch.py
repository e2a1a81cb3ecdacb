"""Archive runs: a shelf of bulletins extracted into one output folder that survives bad files and
crashes.

    OUTDIR/json/<stem>-<sha256[:12]>.json   one JSON per document (written to a temporary file, then renamed)
    OUTDIR/bulletins.jsonl                   the same documents, one a line
    OUTDIR/bulletins.db                      SQLite (extract/db.py); its documents table is the manifest
    OUTDIR/errors.jsonl                      this run's failures: path and a one-line reason

A document is done when its rows are committed to the database, keyed by the sha256 of the file's
content: a re-run skips it, a changed file (new content) is done again and replaces the older reading
of its path. Each document is written in the order JSON file → database → JSON Lines; a run that starts
after a crash first mends bulletins.jsonl from the database (a torn last line dropped, a committed
document whose line was not yet written added from its JSON file), so every document is in both exactly
once. Results are taken in input order, so the outputs do not depend on which worker finished first.
"""
from __future__ import annotations

import glob
import hashlib
import json
import os
import re
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from . import db

SUPPORTED = (".txt", ".pdf", ".png", ".jpg", ".jpeg", ".tif", ".tiff")
WINDOW_PER_JOB = 4  # documents in flight per worker: enough to keep workers busy, bounded memory


@dataclass(frozen=True)
class Options:
    password: str | None = None
    ocr: str = "auto"
    ocr_engine: str = "rapidocr"


@dataclass(frozen=True)
class Outcome:
    path: str
    json_text: str | None = None  # the document's JSON file
    line: str | None = None  # its JSON Lines line (compact, no newline)
    error: str | None = None


@dataclass
class Summary:
    found: int = 0
    extracted: int = 0
    skipped: int = 0
    failed: int = 0
    seconds: float = 0.0
    errors: list[tuple[str, str]] = field(default_factory=list)

    def line(self, outdir: Path) -> str:
        rate = self.extracted / self.seconds if self.seconds else 0.0
        return (f"batch: {self.found} document{'s' if self.found != 1 else ''}: {self.extracted} extracted, "
                f"{self.skipped} already done, {self.failed} failed in {self.seconds:.1f} s ({rate:.1f} documents/s); "
                f"outputs in {outdir}" + (f", failures in {outdir / 'errors.jsonl'}" if self.failed else ""))


def discover(inputs: Iterable[str]) -> tuple[list[str], list[tuple[str, str]]]:
    """Files to extract (folders walked recursively, globs expanded, each file once, in a stable order)
    and (path, reason) for inputs that cannot be documents."""
    files: list[str] = []
    problems: list[tuple[str, str]] = []
    seen: set[str] = set()

    def add(path: str) -> None:
        key = os.path.normpath(path)
        if key not in seen:
            seen.add(key)
            files.append(path)

    for item in inputs:
        if not os.path.lexists(item) and glob.has_magic(item):
            matches = sorted(glob.glob(item, recursive=True))
            if not matches:
                problems.append((item, "no file matches this pattern"))
            for m in matches:
                _add_path(m, add, problems, explicit=False)
            continue
        _add_path(item, add, problems, explicit=True)
    return files, problems


def _add_path(path: str, add: Callable[[str], None], problems: list, explicit: bool) -> None:
    if os.path.isdir(path):
        if not explicit and path.lower().endswith(SUPPORTED):
            problems.append((path, "a directory, not a bulletin file"))
        for root, dirs, names in os.walk(path, onerror=lambda e: problems.append((e.filename, f"cannot list folder: {e.strerror}"))):
            dirs.sort()
            for d in dirs:
                if d.lower().endswith(SUPPORTED):
                    problems.append((os.path.join(root, d), "a directory, not a bulletin file"))
            for name in sorted(names):
                if name.lower().endswith(SUPPORTED):
                    add(os.path.join(root, name))
    elif os.path.lexists(path):
        if explicit or path.lower().endswith(SUPPORTED):
            add(path)
    else:
        problems.append((path, "no such file or folder"))


def file_sha256(path: str) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def jsonl_line(pretty: str) -> str:
    """The JSON Lines line of a document's JSON file: its line breaks and indents taken out (inside JSON
    strings a line break is always escaped, so only layout goes)."""
    return re.sub(r"\n *", "", pretty)


def extract_one(path: str, options: Options, json_dir: str | None = None) -> Outcome:
    """Extract one file in a worker: its JSON Lines line, and its JSON (written into `json_dir` when
    given, so that workers share the writing), or a one-line reason."""
    from .errors import InputError
    from .pipeline import extract_file
    from .write import to_json

    try:
        doc = extract_file(path, password=options.password, ocr=options.ocr, ocr_engine=options.ocr_engine)
    except InputError as exc:
        return Outcome(path, error=exc.reason)
    except MemoryError:
        return Outcome(path, error="out of memory")
    except Exception as exc:  # a bug must not stop the batch, and must say where it happened
        return Outcome(path, error=f"internal error: {type(exc).__name__}: {exc}")
    text = to_json(doc)
    if json_dir is not None:
        from .write import write_atomic

        write_atomic(os.path.join(json_dir, json_name(path, doc.source.sha256)), text)
        return Outcome(path, line=jsonl_line(text))
    return Outcome(path, json_text=text, line=jsonl_line(text))


def json_name(path: str, sha256: str) -> str:
    return f"{Path(path).stem}-{sha256[:12]}.json"


# executors: each yields outcomes in the order of `paths`, keeping a bounded number in flight

def _inline(paths: list[str], options: Options, jobs: int, scheduler: str | None, json_dir: str) -> Iterator[Outcome]:
    for p in paths:
        yield extract_one(p, options)


def _local_pool(paths: list[str], options: Options, jobs: int, scheduler: str | None, json_dir: str) -> Iterator[Outcome]:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    # forkserver, not fork: a forked worker would inherit the output folder's lock and hold it after a
    # crash of this process
    with ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context("forkserver")) as pool:
        yield from _ordered(lambda p: pool.submit(extract_one, p, options, json_dir), paths, jobs * WINDOW_PER_JOB,
                            lambda f: f.result(), lambda f: f.cancel())


def _dask(paths: list[str], options: Options, jobs: int, scheduler: str | None, json_dir: str) -> Iterator[Outcome]:
    # workers may stand on other machines: they send the JSON back, and this process writes it
    try:
        from distributed import Client
    except ImportError:
        raise BatchError("--executor dask needs dask.distributed: pip install 'bulletin-extract[dask]'") from None
    if not scheduler:
        raise BatchError("--executor dask needs --scheduler ADDRESS (tcp://host:8786)")
    try:
        client = Client(scheduler, timeout="20s")
    except (OSError, TimeoutError) as exc:
        raise BatchError(f"cannot reach the Dask scheduler at {scheduler}: {exc}") from None
    try:
        window = max(2, sum(client.nthreads().values())) * WINDOW_PER_JOB
        yield from _ordered(lambda p: client.submit(extract_one, p, options, pure=False), paths, window,
                            lambda f: f.result(), lambda f: f.cancel())
    finally:
        client.close()


def _ordered(submit, paths: list[str], window: int, result, cancel) -> Iterator[Outcome]:
    pending: deque = deque()
    try:
        for p in paths:
            pending.append(submit(p))
            if len(pending) >= window:
                yield result(pending.popleft())
        while pending:
            yield result(pending.popleft())
    finally:
        for f in pending:
            cancel(f)


EXECUTORS = {"local": _local_pool, "dask": _dask}


class BatchError(Exception):
    """The batch cannot run at all (output folder, database, executor)."""


def mend_jsonl(outdir: Path, conn) -> int:
    """Make bulletins.jsonl hold each committed document exactly once: lines cut short by a crash,
    lines of documents not (or no longer) in the database and repeats are dropped; committed documents
    without a line get one from their JSON file. Returns the number of lines changed."""
    path = outdir / "bulletins.jsonl"
    committed = dict(conn.execute("SELECT sha256, json_file FROM documents").fetchall())
    kept: list[str] = []
    seen: set[str] = set()
    changed = 0
    if path.exists():
        with open(path, "rb") as fh:
            for raw in fh:
                try:
                    if not raw.endswith(b"\n"):
                        raise ValueError("torn")
                    sha = json.loads(raw)["source"]["sha256"]
                except (ValueError, KeyError, TypeError):
                    changed += 1
                    continue
                if sha not in committed or sha in seen:
                    changed += 1
                    continue
                seen.add(sha)
                kept.append(raw.decode("utf-8").rstrip("\n"))
    for sha, name in committed.items():
        if sha not in seen and name and (outdir / "json" / name).exists():
            kept.append(jsonl_line((outdir / "json" / name).read_text(encoding="utf-8")))
            changed += 1
    if changed or not path.exists():
        from .write import write_atomic

        write_atomic(str(path), "".join(line + "\n" for line in kept))
    return changed


def run_batch(inputs: list[str], outdir: Path, *, jobs: int = 1, resume: bool = True, executor: str = "local",
              scheduler: str | None = None, options: Options = Options(),
              progress: Callable[[int, int, int], None] | None = None) -> Summary:
    """Extract every document found in `inputs` into `outdir`. `progress(done, total, failed)` is
    called after each document."""
    start = time.perf_counter()
    try:
        outdir.mkdir(parents=True, exist_ok=True)
        (outdir / "json").mkdir(exist_ok=True)
        lock = open(outdir / ".lock", "w")
    except OSError as exc:
        raise BatchError(f"{outdir}: cannot write the output folder ({exc.strerror or exc})") from None
    try:
        return _run_locked(inputs, outdir, lock, start, jobs=jobs, resume=resume, executor=executor,
                           scheduler=scheduler, options=options, progress=progress)
    finally:
        lock.close()


def _run_locked(inputs, outdir: Path, lock, start: float, *, jobs, resume, executor, scheduler, options, progress) -> Summary:
    import fcntl

    from .write import write_atomic

    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        raise BatchError(f"{outdir}: another batch is writing to this folder") from None
    # temporary files of a run that was killed: no other run is writing here (the lock)
    for stale in list(outdir.glob(".tmp-*")) + list((outdir / "json").glob(".tmp-*")):
        stale.unlink(missing_ok=True)
    if not resume:
        for name in ("bulletins.db", "bulletins.db-wal", "bulletins.db-shm", "bulletins.jsonl"):
            (outdir / name).unlink(missing_ok=True)
    try:
        conn = db.connect(str(outdir / "bulletins.db"))
    except db.DatabaseError as exc:
        raise BatchError(f"{outdir / 'bulletins.db'}: {exc}") from None
    summary = Summary()
    try:
        mend_jsonl(outdir, conn)
        write_atomic(str(outdir / "errors.jsonl"), "")
        errors = open(outdir / "errors.jsonl", "a", encoding="utf-8")
        lines = open(outdir / "bulletins.jsonl", "a", encoding="utf-8")
        try:
            def fail(path: str, reason: str) -> None:
                summary.failed += 1
                summary.errors.append((path, reason))
                errors.write(json.dumps({"path": path, "reason": reason}, ensure_ascii=False) + "\n")
                errors.flush()

            files, problems = discover(inputs)
            summary.found = len(files) + len(problems)
            for path, reason in problems:
                fail(path, reason)
            todo: list[str] = []
            this_run: set[str] = set()
            for path in files:
                try:
                    sha = file_sha256(path)
                except OSError as exc:
                    fail(path, f"cannot read: {exc.strerror or exc}")
                    continue
                if db.has_document(conn, sha) or sha in this_run:
                    summary.skipped += 1
                    continue
                this_run.add(sha)
                todo.append(path)
            total = len(todo)
            if progress:
                progress(0, total, summary.failed)
            run = _inline if executor == "local" and jobs <= 1 else EXECUTORS[executor]
            replaced = False
            for k, out in enumerate(run(todo, options, jobs, scheduler, str(outdir / "json")), 1):
                if out.error is not None:
                    fail(out.path, out.error)
                else:
                    doc = json.loads(out.line)
                    # the sha256 of what was read (the file may have changed since it was hashed)
                    sha = doc["source"]["sha256"]
                    name = json_name(out.path, sha)
                    if out.json_text is not None:
                        write_atomic(str(outdir / "json" / name), out.json_text)
                    older = conn.execute("SELECT json_file FROM documents WHERE path = ? AND sha256 != ?",
                                         (doc["source"]["path"], sha)).fetchone()
                    if db.load_document(conn, doc, name):
                        lines.write(out.line + "\n")
                        lines.flush()
                    if older and older[0] and older[0] != name:  # the file changed: its older reading goes
                        (outdir / "json" / older[0]).unlink(missing_ok=True)
                        replaced = True
                    summary.extracted += 1
                if progress:
                    progress(k, total, summary.failed)
        finally:
            errors.close()
            lines.close()
        if replaced:
            mend_jsonl(outdir, conn)  # a changed file's older reading leaves bulletins.jsonl too
        db.index_sections(conn)  # also what a crashed run left unindexed
        if summary.extracted:
            conn.execute("ANALYZE")  # statistics let the query planner pick the index for each filter
    finally:
        conn.close()
    summary.seconds = time.perf_counter() - start
    return summary


def load_outputs(paths: list[str], db_path: str) -> tuple[int, int, list[tuple[str, str]]]:
    """Load JSON/JSON Lines outputs into a database: (added, already there, problems)."""
    from pydantic import ValidationError

    from .models import Bulletin

    try:
        conn = db.connect(db_path)
    except db.DatabaseError as exc:
        raise BatchError(f"{db_path}: {exc}") from None
    added = present = 0
    problems: list[tuple[str, str]] = []
    try:
        for path in paths:
            try:
                for where, data in db.read_outputs([path]):
                    try:
                        Bulletin.model_validate(data)
                    except ValidationError as exc:
                        problems.append((where, f"not a bulletin of this schema ({exc.error_count()} errors)"))
                        continue
                    if db.load_document(conn, data):
                        added += 1
                    else:
                        present += 1
            except (OSError, ValueError) as exc:
                problems.append((path, f"cannot read: {exc}"))
        db.index_sections(conn)
        if added:
            conn.execute("ANALYZE")
    finally:
        conn.close()
    return added, present, problems
