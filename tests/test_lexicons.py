"""The lexicons' integrity: every file loads and says what it holds, every loader reads its file, and
no word stands in two roles that exclude each other (a label that were both a leader and a department
would be read as whichever the code tried first)."""
from __future__ import annotations

import inspect
import typing
from collections import defaultdict
from pathlib import Path

import pytest
import yaml

from conftest import ROOT
from extract import lexicons, models

FILES = sorted((ROOT / "extract" / "lexicons" / "zh").glob("*.yaml"))


@pytest.mark.parametrize("path", FILES, ids=[f.name for f in FILES])
def test_every_lexicon_loads_and_says_what_it_holds(path: Path):
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# "), "a lexicon starts with a comment saying what it holds and how it is read"
    assert isinstance(yaml.safe_load(text), dict)


# the module's public functions that take nothing (most are cached: functools wraps them)
LOADERS = [f for name, f in inspect.getmembers(lexicons, callable)
           if not name.startswith("_") and getattr(f, "__module__", None) == lexicons.__name__
           and not inspect.isclass(f) and not inspect.signature(f).parameters]


@pytest.mark.parametrize("loader", LOADERS, ids=[f.__name__ for f in LOADERS])
def test_every_loader_reads_its_lexicon(loader):
    assert loader()


def _in_two(groups: dict) -> dict[str, set[str]]:
    where = defaultdict(set)
    for group, words in groups.items():
        for word in words:
            where[word].add(group)
    return {w: g for w, g in where.items() if len(g) > 1}


# roles that exclude each other: (lexicon, the groups of one role each)
EXCLUSIVE = [
    ("task labels", lambda: lexicons.task_labels()["labels"]),
    ("footer labels", lexicons.footer_labels),
    ("part kinds", lambda: {k: v for k, v in lexicons.part_keywords().items() if k in ("summary", "plan", "other")}),
    # periodical and wrapper are marks a genre word carries besides its kind
    ("genre kinds", lambda: {k: v for k, v in lexicons.genres().items() if k in ("summary", "plan", "other")}),
    ("unit kinds", lambda: yaml.safe_load((ROOT / "extract" / "lexicons" / "zh" / "units.yaml").read_text("utf-8"))),
]


@pytest.mark.parametrize("name,groups", EXCLUSIVE, ids=[e[0] for e in EXCLUSIVE])
def test_no_word_in_two_roles(name, groups):
    assert _in_two(groups()) == {}


def test_the_role_check_finds_a_word_in_two_roles():
    assert _in_two({"leader": ["责任人", "牵头人"], "department": ["责任单位", "牵头人"]}) == {"牵头人": {"leader", "department"}}


# lexicon values the code hands on as a model's Literal (cast, not checked at run time)
LITERAL_VALUES = [
    ("approx markers", lambda: {v for group in lexicons.approx_markers().values() for v in group.values()},
     {*typing.get_args(models.Approx), None}),
    ("task label roles", lambda: set(lexicons.task_labels()["labels"]), set(typing.get_args(models.TaskRole))),
    ("inline roles", lambda: set(lexicons.task_labels()["inline_roles"].values()),
     {*typing.get_args(models.TaskRole), "either"}),
    # future: words that mark a heading as a plan's, besides the kinds
    ("part kinds", lambda: set(lexicons.part_keywords()) - {"future"}, set(typing.get_args(models.PartKind))),
    # periodical and wrapper: marks a genre carries besides its kind
    ("genre kinds", lambda: set(lexicons.genres()) - {"periodical", "wrapper"}, set(typing.get_args(models.PartKind))),
]


@pytest.mark.parametrize("name,values,allowed", LITERAL_VALUES, ids=[v[0] for v in LITERAL_VALUES])
def test_lexicon_values_are_the_models_literals(name, values, allowed):
    assert values() <= allowed
