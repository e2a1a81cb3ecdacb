import contextlib
import json
import os
import signal
import sys
import threading
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
FACTS = ROOT / "tests" / "facts"
BULLETIN = [sys.executable, "-m", "extract.cli"]  # the command as a process, where a test needs one (else run_cli)
CHECKER = ROOT / "tests" / "tools" / "facts_check.py"  # the shared facts checker, as ../shared/tools has it


class FactsScore(NamedTuple):
    returncode: int  # the checker's exit status: 0 when every category reaches the minimum
    stdout: str  # its report, a line per category


@lru_cache(maxsize=1)
def _checker():
    import importlib.util

    spec = importlib.util.spec_from_file_location("facts_check", CHECKER)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def check_facts(out, facts, minimum: float | None = 1.0) -> FactsScore:
    """The facts checker on an output, in this process, as its command line runs it
    (`facts_check.py OUT FACTS [--min X]`): a process a document cost more than the check."""
    import contextlib
    import io

    argv = ["facts_check.py", str(out), str(facts)] + (["--min", str(minimum)] if minimum is not None else [])
    report, saved = io.StringIO(), sys.argv
    sys.argv = argv
    try:
        with contextlib.redirect_stdout(report):
            _checker().main()
        code = 0
    except SystemExit as exc:
        code = exc.code or 0
    finally:
        sys.argv = saved
    return FactsScore(code, report.getvalue())


class _NoAnswer(BaseException):
    """A command past its time limit: a BaseException, so that the command's own `except Exception` lets it by."""


@contextlib.contextmanager
def _time_limit(seconds: float | None):
    """_NoAnswer in this (the main) thread once `seconds` have passed, as a process's timeout: by a signal, so
    that a wait in a system call is interrupted too (SIGUSR1: SIGALRM is the command's own --timeout)."""
    if not seconds or threading.current_thread() is not threading.main_thread():
        yield
        return
    lock, armed = threading.Lock(), [True]

    def fire():
        with lock:
            if armed[0]:
                signal.pthread_kill(threading.main_thread().ident, signal.SIGUSR1)

    def stop(signum, frame):
        raise _NoAnswer()

    previous = signal.signal(signal.SIGUSR1, stop)
    timer = threading.Timer(seconds, fire)
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        try:
            with lock:
                armed[0] = False
            timer.cancel()
        finally:
            signal.signal(signal.SIGUSR1, previous)


def run_cli(*args, input: bytes | str | None = None, cwd=None, timeout: float | None = None):
    """`bulletin ARGS` in this process, through typer's CliRunner on the app of extract/cli.py: a Result with
    exit_code, stdout and stderr apart (stdout_bytes for bytes). `input` is standard input; `cwd` the working
    folder for the run; past `timeout` seconds the test fails, as a process's timeout fails it. An exception
    the command does not handle is raised here (a process would die with a traceback)."""
    from typer.testing import CliRunner

    from extract.cli import app

    args = [str(a) for a in args]
    try:
        with contextlib.chdir(cwd) if cwd is not None else contextlib.nullcontext(), _time_limit(timeout):
            return CliRunner().invoke(app, args, input=input, catch_exceptions=False, prog_name="bulletin")
    except _NoAnswer:
        pytest.fail(f"bulletin {' '.join(args)}: no answer in {timeout} s")


def sample_names():
    return sorted(p.stem for p in SAMPLES.glob("*.txt") if (FACTS / f"{p.stem}.facts.json").exists())


@lru_cache(maxsize=None)
def extracted(name: str):
    from extract.pipeline import extract_file

    return extract_file(str(SAMPLES / f"{name}.txt"))


@lru_cache(maxsize=None)
def extracted_json(name: str) -> str:
    from extract.write import to_json

    return to_json(extracted(name))


def walk_items(node):
    """Every JSON object in an output, depth first."""
    if isinstance(node, dict):
        yield node
        for v in node.values():
            yield from walk_items(v)
    elif isinstance(node, list):
        for v in node:
            yield from walk_items(v)


def count_review_items(doc: dict) -> int:
    """The items a review page marks, counted from the JSON: figures, dates, people, task fields and
    the titles of sections (an untitled section has none to mark)."""
    n = 0

    def visit(node):
        nonlocal n
        n += len(node.get("figures", [])) + len(node.get("dates", [])) + len(node.get("people", []))
        n += len(node["task"]["fields"]) if node.get("task") else 0
        for s in node.get("sections", []) + node.get("subsections", []):
            n += 1 if s["title"] else 0
            visit(s)

    for p in doc["parts"]:
        visit(p)
    return n


def facts(name: str) -> dict:
    return json.loads((FACTS / f"{name}.facts.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def cli_env():
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    return env


def reader_records(doc):
    """What a reader of the output compares: titles, figures, dates, tasks, people, footer (no offsets)."""
    out = []
    for part in doc.parts:
        out.append(("part", part.kind, part.period))
        stack = list(part.sections)
        while stack:
            s = stack.pop(0)
            out.append(("section", s.level, s.number, "".join(s.title.split())))
            out += [("figure", "".join(f.text.split()), f.value, f.unit, f.approx) for f in s.figures]
            out += [("date", "".join(d.text.split()), d.start, d.end) for d in s.dates]
            out += [("person", p.name, tuple(p.titles)) for p in s.people]
            if s.task:
                out.append(("task", tuple(s.task.leaders), tuple(s.task.departments), s.task.deadline and s.task.deadline.end))
            stack[:0] = s.subsections
    out.append(("footer", tuple(doc.distribution.report_to), tuple(doc.distribution.send_to), doc.editor, doc.phone))
    return out
