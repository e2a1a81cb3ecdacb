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

import errno
import glob
import hashlib
import json
import os
import re
import signal
import sqlite3
import time
from collections import deque
from collections.abc import Callable, Generator, Iterable
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from . import db, followup
from .datasette_metadata import write_metadata
from .errors import InputError, failure
from .read import EXTENSIONS, ReadOptions
from .limits import DEFAULT_TIMEOUT, MAX_IMAGE_BYTES, MAX_PDF_BYTES, usable_cores
from .write import TEMP_PREFIX, fit_name

SUPPORTED = EXTENSIONS  # what a folder walk takes (read/__init__.py FORMATS)
WINDOW_PER_JOB = 4  # documents in flight per worker: enough to keep workers busy, bounded memory
MAX_INPUT_BYTES = max(MAX_PDF_BYTES, MAX_IMAGE_BYTES)  # no reader takes more: not worth hashing
DISK_FULL = (errno.ENOSPC, errno.EDQUOT)


@dataclass(frozen=True)
class Options:
    """How every document of the batch is read, and the time each may take."""

    read: ReadOptions = ReadOptions()
    timeout: float | None = DEFAULT_TIMEOUT


@dataclass(frozen=True)
class Outcome:
    """One file's result from a worker: its JSON (None when the worker wrote the file itself) and JSON Lines
    line, or the one-line reason it failed."""

    path: str
    json_text: str | None = None  # the document's JSON file
    line: str | None = None  # its JSON Lines line (compact, no newline)
    error: str | None = None
    disk_full: bool = False  # the worker could not write its JSON file for want of room


# the outcomes of an executor, in input order: a generator, closed to stop the workers when the run stops
Outcomes = Generator[Outcome, None, None]


@dataclass
class Summary:
    """What a batch run did: documents found, extracted, skipped (already done) and failed, its seconds, and
    (path, reason) of each failure."""

    found: int = 0
    extracted: int = 0
    skipped: int = 0
    failed: int = 0
    seconds: float = 0.0
    errors: list[tuple[str, str]] = field(default_factory=list)

    def line(self, outdir: Path) -> str:
        """The run's one-line report: the counts, documents per second, and where the outputs (and failures) are."""
        rate = self.extracted / self.seconds if self.seconds else 0.0
        return (
            f"batch: {self.found} document{'s' if self.found != 1 else ''}: {self.extracted} extracted, "
            f"{self.skipped} already done, {self.failed} failed in {self.seconds:.1f} s ({rate:.1f} documents/s); "
            f"outputs in {outdir}" + (f", failures in {outdir / 'errors.jsonl'}" if self.failed else "")
        )


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
        for root, dirs, names in os.walk(
            path, onerror=lambda e: problems.append((e.filename, f"cannot list folder: {e.strerror}"))
        ):
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
    """The hex sha256 of a file's content, read 1 MiB at a time."""
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
    from .pipeline import extract_file
    from .write import to_json

    try:
        doc = extract_file(path, options.read, options.timeout)
    except Exception as exc:
        return Outcome(path, error=failure(path, exc).reason)
    text = to_json(doc)
    if json_dir is not None:
        from .write import write_atomic

        try:
            write_atomic(os.path.join(json_dir, json_name(path, doc.source.sha256)), text)
        except OSError as exc:
            return Outcome(
                path, error=f"cannot write its JSON file: {exc.strerror or exc}", disk_full=exc.errno in DISK_FULL
            )
        return Outcome(path, line=jsonl_line(text))
    return Outcome(path, json_text=text, line=jsonl_line(text))


def json_name(path: str, sha256: str) -> str:
    """The document's JSON file name: its stem (cut to fit a file name) and its content's hash."""
    return fit_name(Path(path).stem, f"-{sha256[:12]}.json")


# executors: each yields outcomes in the order of `paths`, keeping a bounded number in flight


def _inline(paths: list[str], options: Options, jobs: int, scheduler: str | None, json_dir: str) -> Outcomes:
    for p in paths:
        yield extract_one(p, options)


def _local_pool(paths: list[str], options: Options, jobs: int, scheduler: str | None, json_dir: str) -> Outcomes:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    # spawn: workers are this process's own children (not a fork server's), so they die with it
    # (_worker_start); and none inherits the output folder's lock
    pool = ProcessPoolExecutor(
        max_workers=jobs,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=_worker_start,
        initargs=(_engine_threads(jobs),),
    )
    finished = False
    try:
        # futures are not cancelled when the run stops: killing the workers ends them all (as broken),
        # and Python 3.11's pool reports a cancelled future it then finds broken with a traceback
        yield from _ordered(
            lambda p: pool.submit(extract_one, p, options, json_dir),
            paths,
            jobs * WINDOW_PER_JOB,
            lambda f: f.result(),
            lambda f: None,
        )
        finished = True
    finally:
        if finished:
            pool.shutdown(wait=True)
        else:
            _stop_pool(pool)


STOP_GRACE = 2.0  # seconds the pool's manager thread gets to wind down after its workers are killed


def _stop_pool(pool) -> None:
    """Kill the workers (their documents are abandoned, not waited for), then let the pool's manager
    thread see it and finish before this process exits: Python 3.11's exit hook wakes that thread
    without its lock, which races with the thread closing its pipe (`Bad file descriptor`), and joins
    it. A worker killed while sending its result leaves half a message in the result pipe, which the
    manager thread waits to read to the end as long as any writer is open, and this process holds one:
    it is closed once the workers are gone, so the thread reads the end of the pipe instead."""
    manager = pool._executor_manager_thread
    workers = list((pool._processes or {}).values())
    for proc in workers:
        proc.kill()
    for proc in workers:
        proc.join(STOP_GRACE)
    results = pool._result_queue
    pool.shutdown(wait=False)
    if results is not None:
        results._writer.close()
    if manager is not None:
        manager.join(STOP_GRACE)


PR_SET_PDEATHSIG = 1  # linux/prctl.h


def _engine_threads(jobs: int) -> int:
    """Threads each worker's OCR engine may use, for a runtime that takes a thread count (onnxruntime:
    read/ocr_engines.py THREADS_OPTION): the cores shared among the workers, so that `jobs` engines do not fight
    over them (two 2-thread engines on 2 cores read fewer pages a second than two 1-thread ones:
    benchmarks/bench_ocr.py --batch)."""
    return max(1, usable_cores() // jobs)


def _worker_start(engine_threads: int = 0) -> None:
    """In each worker: die with the batch process, even when it is killed (SIGKILL runs no clean-up);
    leave Ctrl-C to the batch process, which stops the workers itself; the OCR engine's thread count."""
    if engine_threads:
        from .read import ocr_engines as ocr

        ocr.ENGINE_THREADS = engine_threads
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):  # not Linux: the pool's own checks stop idle workers later
        pass
    if os.getppid() == 1:  # the batch process died before prctl took effect
        os._exit(1)


def _dask(paths: list[str], options: Options, jobs: int, scheduler: str | None, json_dir: str) -> Outcomes:
    # workers may stand on other machines: they send the JSON back, and this process writes it
    try:
        from distributed import Client
    except ImportError:
        raise BatchError("--executor dask needs dask.distributed: pip install 'bulletin-extract[dask]'") from None
    if not scheduler:
        raise BatchError("--executor dask needs --scheduler ADDRESS (tcp://host:8786)")
    try:
        client = Client(scheduler, timeout="20s")
    except Exception as exc:  # unreachable, refused, or not an address at all
        raise BatchError(f"cannot reach the Dask scheduler at {scheduler!r}: {type(exc).__name__}: {exc}") from None
    try:
        window = max(2, sum(client.nthreads().values())) * WINDOW_PER_JOB
        yield from _ordered(
            lambda p: client.submit(extract_one, p, options, pure=False),
            paths,
            window,
            lambda f: f.result(),
            lambda f: f.cancel(),
        )
    finally:
        client.close()


def _ordered(submit, paths: list[str], window: int, result, cancel) -> Outcomes:
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


EXECUTORS: dict[str, Callable[[list[str], Options, int, str | None, str], Outcomes]] = {
    "local": _local_pool,
    "dask": _dask,
}


class BatchError(Exception):
    """The batch cannot run at all (output folder, database, executor)."""


def mend_jsonl(outdir: Path, conn) -> int:
    """Make bulletins.jsonl hold each committed document exactly once: lines cut short by a crash,
    lines of documents not (or no longer) in the database and repeats are dropped; committed documents
    without a line get one from their JSON file. Returns the number of lines changed."""
    path = outdir / "bulletins.jsonl"
    committed = db.json_files(conn)
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


class Terminated(KeyboardInterrupt):
    """SIGTERM: stop as Ctrl-C does (what is finished is kept)."""


@contextmanager
def _stop_on_sigterm():
    """SIGTERM raises Terminated in the main thread for the length of the run, so the run stops the
    way Ctrl-C stops it: workers killed, outputs consistent, the full-text index brought up to date."""
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum, frame):
        raise Terminated()

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def run_batch(
    inputs: list[str],
    outdir: Path,
    *,
    jobs: int = 1,
    resume: bool = True,
    executor: str = "local",
    scheduler: str | None = None,
    options: Options = Options(),
    progress: Callable[..., None] | None = None,
) -> Summary:
    """Extract every document found in `inputs` into `outdir`. `progress(done, total, failed)` is
    called once the work is counted, then `progress(done, total, failed, path)` after each document."""
    start = time.perf_counter()
    try:
        outdir.mkdir(parents=True, exist_ok=True)
        (outdir / "json").mkdir(exist_ok=True)
        lock = open(outdir / ".lock", "w")
    except OSError as exc:
        raise BatchError(f"{outdir}: cannot write the output folder ({exc.strerror or exc})") from None
    try:
        with _stop_on_sigterm():
            return _run_locked(
                inputs,
                outdir,
                lock,
                start,
                jobs=jobs,
                resume=resume,
                executor=executor,
                scheduler=scheduler,
                options=options,
                progress=progress,
            )
    finally:
        lock.close()


def _lock_folder(outdir: Path, lock) -> None:
    import fcntl

    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        raise BatchError(f"{outdir}: another batch is writing to this folder") from None


def _clear_outputs(outdir: Path, resume: bool) -> None:
    """Temporary files of a run that was killed go (no other run is writing here: the lock); without
    resume, every output goes."""
    for stale in list(outdir.glob(TEMP_PREFIX + "*")) + list((outdir / "json").glob(TEMP_PREFIX + "*")):
        stale.unlink(missing_ok=True)
    if not resume:
        for name in ("bulletins.db", "bulletins.db-wal", "bulletins.db-shm", "bulletins.jsonl"):
            (outdir / name).unlink(missing_ok=True)
        for old in (outdir / "json").glob("*.json"):
            old.unlink(missing_ok=True)


def _disk_full(exc: BaseException) -> bool:
    if isinstance(exc, OSError):
        return exc.errno in DISK_FULL
    return isinstance(exc, sqlite3.OperationalError) and "full" in str(exc)


class _Run:
    """One batch run's open outputs and tallies."""

    def __init__(self, outdir: Path, conn, summary: Summary):
        self.outdir, self.conn, self.summary = outdir, conn, summary
        self.errors = open(outdir / "errors.jsonl", "a", encoding="utf-8")
        self.lines = open(outdir / "bulletins.jsonl", "a", encoding="utf-8")
        self.replaced = False

    def close(self) -> None:
        self.errors.close()
        self.lines.close()

    def fail(self, path: str, reason: str) -> None:
        self.summary.failed += 1
        self.summary.errors.append((path, reason))
        self.errors.write(json.dumps({"path": path, "reason": reason}, ensure_ascii=False) + "\n")
        self.errors.flush()

    def todo(self, files: list[str]) -> tuple[list[str], dict[str, list[str]], dict[str, str], dict[str, str]]:
        """Files to extract (each content once), later files with the same content as one of them
        (sha256 → paths), the sha256 of each file to extract, and each content's file to extract."""
        todo: list[str] = []
        same: dict[str, list[str]] = {}
        sha_of: dict[str, str] = {}
        first_of: dict[str, str] = {}
        for path in files:
            try:
                sha = _hash_input(path)
            except InputError as exc:
                self.fail(path, exc.reason)
                continue
            if db.has_document(self.conn, sha):
                self.summary.skipped += 1
            elif sha in first_of:
                same.setdefault(sha, []).append(path)
            else:
                first_of[sha] = path
                sha_of[path] = sha
                todo.append(path)
        return todo, same, sha_of, first_of

    def store(self, out: Outcome) -> None:
        """Write one extracted document: JSON file → database → JSON Lines."""
        from .write import write_atomic

        if out.line is None:
            raise ValueError(f"{out.path}: an outcome without its JSON line cannot be stored")
        doc = json.loads(out.line)
        sha = doc["source"]["sha256"]  # of what was read (the file may have changed since it was hashed)
        name = json_name(out.path, sha)
        if out.json_text is not None:
            write_atomic(str(self.outdir / "json" / name), out.json_text)
        older = db.other_reading(self.conn, doc["source"]["path"], sha)
        if db.load_document(self.conn, doc, name):
            self.lines.write(out.line + "\n")
            self.lines.flush()
        if older and older != name:  # the file changed: its older reading goes
            (self.outdir / "json" / older).unlink(missing_ok=True)
            self.replaced = True
        self.summary.extracted += 1


def _hash_input(path: str) -> str:
    """The sha256 of a file to extract; InputError for what cannot be one (a device, a pipe, a folder,
    a file larger than any reader takes)."""
    from .read.files import check_input

    st = check_input(path)
    if st.st_size > MAX_INPUT_BYTES:
        raise InputError(path, f"too large for a bulletin ({st.st_size / 2**20:.0f} MB)")
    try:
        return file_sha256(path)
    except OSError as exc:
        raise InputError(path, f"cannot read: {exc.strerror or exc}") from None


def _run_locked(
    inputs, outdir: Path, lock, start: float, *, jobs, resume, executor, scheduler, options, progress
) -> Summary:
    from .write import write_atomic

    _lock_folder(outdir, lock)
    _clear_outputs(outdir, resume)
    try:
        conn = db.connect(str(outdir / "bulletins.db"))
    except db.DatabaseError as exc:
        raise BatchError(f"{outdir / 'bulletins.db'}: {exc}") from None
    write_metadata(str(outdir / "bulletins.db"))
    summary = Summary()
    try:
        mend_jsonl(outdir, conn)
        write_atomic(str(outdir / "errors.jsonl"), "")
        run = _Run(outdir, conn, summary)
        try:
            _extract_all(run, inputs, jobs, executor, scheduler, options, progress)
            if summary.extracted:  # a run that went through: the planned tasks followed up again
                followup.store(conn)
        finally:
            run.close()
            _finish(outdir, conn, run)
    except (OSError, sqlite3.Error) as exc:
        if _disk_full(exc):
            raise BatchError(
                f"{outdir}: the disk is full; what was finished is kept: run the same command again when there is room"
            ) from None
        raise BatchError(f"{outdir}: cannot write the outputs ({exc})") from None
    finally:
        conn.close()
    summary.seconds = time.perf_counter() - start
    return summary


def _extract_all(run: _Run, inputs, jobs, executor, scheduler, options, progress) -> None:
    files, problems = discover(inputs)
    run.summary.found = len(files) + len(problems)
    for path, reason in problems:
        run.fail(path, reason)
    todo, same, sha_of, first_of = run.todo(files)
    total = len(todo)
    if progress:
        progress(0, total, run.summary.failed)
    execute = _inline if executor == "local" and jobs <= 1 else EXECUTORS[executor]
    failed: dict[str, str] = {}  # sha256 → the reason its first file failed
    # closed at once when the run stops (an exception here), so the workers stop with it
    with closing(execute(todo, options, jobs, scheduler, str(run.outdir / "json"))) as outcomes:
        for k, out in enumerate(outcomes, 1):
            _take(run, out, failed, sha_of)
            if progress:
                progress(k, total, run.summary.failed, out.path)
    _settle_same_content(run, same, failed, first_of)


def _take(run: _Run, out: Outcome, failed: dict[str, str], sha_of: dict[str, str]) -> None:
    if out.error is not None:
        run.fail(out.path, out.error)
        failed[sha_of[out.path]] = out.error
        if out.disk_full:
            raise OSError(errno.ENOSPC, "No space left on device")
        return
    try:
        run.store(out)
    except OSError as exc:
        if _disk_full(exc):
            raise
        run.fail(out.path, f"cannot write its outputs: {exc.strerror or exc}")


def _settle_same_content(run: _Run, same: dict[str, list[str]], failed: dict[str, str], first: dict[str, str]) -> None:
    """Files with the same content as one extracted in this run share its outcome."""
    for sha, paths in same.items():
        for path in paths:
            if sha in failed:
                run.fail(path, f"same content as {first[sha]}, which failed: {failed[sha]}")
            else:
                run.summary.skipped += 1


def _finish(outdir: Path, conn, run: _Run) -> None:
    """After the run, also an interrupted one: bulletins.jsonl without a changed file's older reading,
    and every committed section in the full-text index."""
    try:
        if run.replaced:
            mend_jsonl(outdir, conn)
        db.index_sections(conn)  # also what a crashed run left unindexed
        if run.summary.extracted:
            db.analyze(conn)
    except (OSError, sqlite3.Error):
        pass  # a full disk: search scans the sections the index lacks (search.py), the next run indexes them


def load_outputs(paths: list[str], db_path: str) -> tuple[int, int, list[tuple[str, str]]]:
    """Load JSON/JSON Lines outputs into a database: (added, already there, problems). A bad document
    or line is a problem with its place (FILE or FILE:LINE); the others are loaded all the same."""
    try:
        conn = db.connect(db_path)
    except db.DatabaseError as exc:
        raise BatchError(f"{db_path}: {exc}") from None
    write_metadata(db_path)
    added = present = 0
    problems: list[tuple[str, str]] = []
    try:
        for path in paths:
            try:
                for where, data in db.read_outputs([path]):
                    if isinstance(data, db.BadOutput):
                        problems.append((where, str(data)))
                    elif (problem := _load_problem(data)) is not None:
                        problems.append((where, problem))
                    else:
                        try:
                            if db.load_document(conn, data):
                                added += 1
                            else:
                                present += 1
                        except (OverflowError, sqlite3.IntegrityError, KeyError, TypeError) as exc:
                            problems.append((where, f"cannot be loaded ({type(exc).__name__}: {exc})"))
            except (OSError, UnicodeDecodeError) as exc:
                problems.append((path, f"cannot read: {getattr(exc, 'strerror', None) or exc}"))
        db.index_sections(conn)
        if added:
            followup.store(conn)
            db.analyze(conn)
    except sqlite3.Error as exc:
        raise BatchError(
            f"{db_path}: {'the disk is full' if _disk_full(exc) else exc}; what was loaded is kept"
        ) from None
    finally:
        conn.close()
    return added, present, problems


def _load_problem(data: dict) -> str | None:
    """Why a document cannot go into the database: another major schema version, not a bulletin of
    this schema, or spans that do not hold their text."""
    from pydantic import ValidationError

    from .models import SCHEMA_VERSION, Bulletin

    version = data.get("schema_version")
    if (
        not isinstance(version, str)
        or version.split(".")[0] != SCHEMA_VERSION.split(".")[0]
        or not re.fullmatch(r"\d+\.\d+\.\d+", version)
    ):
        return f"schema version {version!r}, this program reads {SCHEMA_VERSION.split('.')[0]}.x.y"
    try:
        Bulletin.model_validate(data)
    except ValidationError as exc:
        return f"not a bulletin of this schema ({exc.error_count()} errors)"
    except RecursionError:
        return "not a bulletin of this schema (nested too deeply)"
    bad = _span_mismatch(data)
    return f"a span does not hold its text: {bad}" if bad else None


def _span_mismatch(doc: dict) -> str | None:
    text = doc["text"]
    stack: list = [doc["parts"]]
    while stack:
        node = stack.pop()
        if isinstance(node, list):
            stack.extend(node)
        elif isinstance(node, dict):
            if "text" in node and "span" in node and node["span"] is not None:
                a, b = node["span"]
                if not (0 <= a <= b <= len(text)) or text[a:b] != node["text"]:
                    return f"{node['text'][:20]!r} at {a}-{b}"
            stack.extend(v for v in node.values() if isinstance(v, (list, dict)))
    return None
