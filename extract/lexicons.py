"""Loads the YAML lexicons in `lexicons/zh/` once; every recognizer reads its words from here."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import TypedDict, cast

import yaml


def _load(name: str) -> dict:
    with resources.files("extract").joinpath("lexicons", "zh", f"{name}.yaml").open("r", encoding="utf-8") as fh:
        # libyaml's loader (bundled in PyYAML's wheels) parses the lexicons ~10x faster: a cold-start cost
        return yaml.load(fh, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def alternation(words) -> str:
    """A regex alternation that tries longer words first."""
    return "|".join(re.escape(w) for w in sorted(set(words), key=lambda w: (-len(w), w)))


@dataclass(frozen=True)
class UnitInfo:
    unit: str
    factor: int
    kind: str


@dataclass(frozen=True)
class UnitLexicon:
    units: dict[str, UnitInfo]

    @property
    def pattern(self) -> str:
        return alternation(self.units)


@cache
def units() -> UnitLexicon:
    table = {}
    for kind, entries in _load("units").items():
        for written, spec in entries.items():
            spec = spec or {}
            table[str(written)] = UnitInfo(unit=spec.get("unit", str(written)), factor=spec.get("factor", 1), kind=kind)
    return UnitLexicon(table)


@cache
def lookalikes() -> dict[str, str]:
    """Each Han character an OCR engine confuses → the characters it is confused with."""
    out: dict[str, str] = {}
    for group in _load("ocr_lookalikes")["groups"]:
        for ch in group:
            out[ch] = out.get(ch, "") + group.replace(ch, "")
    return out


@cache
def approx_markers() -> dict[str, dict[str, str | None]]:
    return _load("approx")


@cache
def numeral_names() -> frozenset[str]:
    """Numeral words that are names, not counts (两节, 三农)."""
    return frozenset(_load("not_figures")["names"])


@cache
def article_one_counters() -> frozenset[str]:
    """Counters after which a lone 一 is an article (召开一次会议), not a quantity."""
    return frozenset(_load("not_figures")["article_one"])


@cache
def phase_words() -> dict[str, list[str]]:
    """Counter → the words after which it numbers a phase (期 → 工程: 一期工程)."""
    return _load("not_figures").get("phases", {})


@cache
def money_context() -> dict:
    return _load("money_context")


class TaskLabels(TypedDict):
    """task_labels.yaml: what each key holds is said in the file."""

    labels: dict[str, list[str]]  # role (models.TaskRole) → its label words
    either: list[str]
    unit_suffixes: list[str]
    inline_roles: dict[str, str]  # role word → a TaskRole, or "either"
    inline_agent: list[str]
    inline_manner: list[str]
    ongoing: list[str]
    table: dict[str, list[str]]  # "number", "task" → column header words


@cache
def task_labels() -> TaskLabels:
    return cast(TaskLabels, _load("task_labels"))


@cache
def footer_labels() -> dict[str, list[str]]:
    return _load("footer_labels")


@cache
def part_keywords() -> dict[str, list[str]]:
    return _load("parts")


@cache
def issuer_suffixes() -> list[str]:
    return _load("issuers")["suffixes"]


@cache
def issuer_imprint_words() -> list[str]:
    return _load("issuers")["imprint"]


@cache
def titles() -> dict:
    return _load("titles")


@cache
def surnames() -> tuple[frozenset[str], tuple[str, ...]]:
    data = _load("surnames")
    return frozenset(data["single"]), tuple(data["compound"])


@cache
def surname_rank() -> dict[str, int]:
    """Single surnames by how common they are (0 the most common), as the lexicon lists them."""
    return {c: i for i, c in enumerate(_load("surnames")["single"])}


@cache
def name_rules() -> dict:
    data = _load("surnames")
    return {
        "not_name_end": data["not_name_end"],
        "common_word_freq": data["common_word_freq"],
        "function_surnames": data["function_surnames"],
        "organisation_chars": frozenset(data["organisation_chars"]),
    }


@cache
def date_words() -> dict:
    return _load("dates")


@cache
def genres() -> dict[str, list[str]]:
    return _load("genres")


@cache
def followup_words() -> dict[str, list[str]]:
    return _load("followup")
