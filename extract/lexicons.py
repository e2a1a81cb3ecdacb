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
    """What a written unit normalizes to: the unit reported (`万元` → 元), the factor the value is multiplied by
    (10000) and the unit's kind (money, counter, percent …)."""

    unit: str
    factor: int
    kind: str


@dataclass(frozen=True)
class UnitLexicon:
    """Every unit as written → its UnitInfo."""

    units: dict[str, UnitInfo]

    @property
    def pattern(self) -> str:
        """A regex alternation of the written units, longer ones first."""
        return alternation(self.units)


@cache
def units() -> UnitLexicon:
    """units.yaml: each unit as written, its kind the key it is listed under (money, counter …); `unit`
    defaults to the written one, `factor` to 1."""
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
    """approx.yaml: where a marker stands (before, inside, after the number) → marker → approx (`约` → about,
    `以上` → more_than)."""
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
    """money_context.yaml: the `words` (经费, 筹集 …) that make a bare amount money when one stands within
    `window` characters before it (`筹集慰问经费 172 万` → 元)."""
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
    completion_verbs: list[str]
    table: dict[str, list[str]]  # "number", "task" → column header words


@cache
def task_labels() -> TaskLabels:
    """task_labels.yaml: task field labels by role, the words of inline assignments, ongoing deadlines and
    task-table headers."""
    return cast(TaskLabels, _load("task_labels"))


@cache
def footer_labels() -> dict[str, list[str]]:
    """footer_labels.yaml: footer field → its label words (send_to: 发送, 抄送 …; editor: 责任编辑 …)."""
    return _load("footer_labels")


@cache
def part_keywords() -> dict[str, list[str]]:
    """parts.yaml: part kind → the words a part heading ends with (工作总结 → summary), and `future` words
    (下一步, 下月) that make a heading a plan."""
    return _load("parts")


@cache
def issuer_suffixes() -> list[str]:
    """The organisation suffixes an issuer's line ends with (总工会, 委员会, 局 …)."""
    return _load("issuers")["suffixes"]


@cache
def issuer_imprint_words() -> list[str]:
    """The words after the issuer's name in a masthead imprint line (荆州市总工会办公室编: 编, 编印, 主办 …)."""
    return _load("issuers")["imprint"]


@cache
def titles() -> dict:
    """titles.yaml: title suffixes (书记, 局长 …), standalone titles, and the words that cut a title or mark a
    person without one."""
    return _load("titles")


@cache
def surnames() -> tuple[frozenset[str], tuple[str, ...]]:
    """(single-character surnames, compound surnames: 欧阳, 司马 …)."""
    data = _load("surnames")
    return frozenset(data["single"]), tuple(data["compound"])


@cache
def surname_rank() -> dict[str, int]:
    """Single surnames by how common they are (0 the most common), as the lexicon lists them."""
    return {c: i for i, c in enumerate(_load("surnames")["single"])}


@cache
def name_rules() -> dict:
    """The name rules of surnames.yaml: characters that end a name's context, the word frequency that makes a
    candidate a common word, surnames that are also function words (和, 与), organisation characters."""
    data = _load("surnames")
    return {
        "not_name_end": data["not_name_end"],
        "common_word_freq": data["common_word_freq"],
        "function_surnames": data["function_surnames"],
        "organisation_chars": frozenset(data["organisation_chars"]),
    }


@cache
def date_words() -> dict:
    """dates.yaml: relative years, months and days (去年 → -1), same-day and next-day words, holidays with
    their dates, and the words that make no date."""
    return _load("dates")


@cache
def titled_document_types() -> list[str]:
    """The types an official document's own title ends with: 关于…的通知 (documents.yaml)."""
    return _load("documents")["titled_types"]


@cache
def contents_headings() -> list[str]:
    """The headings of a periodical's table of contents: 本期要目, 目录 (documents.yaml)."""
    return _load("documents")["contents_headings"]


@cache
def genres() -> dict[str, list[str]]:
    """genres.yaml: document types by the part kind they imply (工作要点 → plan), and the `periodical` and
    `wrapper` words."""
    return _load("genres")


@cache
def followup_words() -> dict[str, list[str]]:
    """followup.yaml: the `stop` words the follow-up score leaves out (工作, 开展, 推进 …)."""
    return _load("followup")
