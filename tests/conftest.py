import json
import os
import sys
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
FACTS = ROOT / "tests" / "facts"
BULLETIN = [sys.executable, "-m", "extract.cli"]
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
