import json
import os
import sys
from functools import lru_cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
FACTS = ROOT / "tests" / "facts"
BULLETIN = [sys.executable, "-m", "extract.cli"]


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


def facts(name: str) -> dict:
    return json.loads((FACTS / f"{name}.facts.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def cli_env():
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    return env
