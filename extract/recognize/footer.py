"""The distribution footer: 报/送/发/抄送 lists, 责任编辑/审核/签发, 联系电话."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from ..patterns import DIGIT_DATE, RULE, SP, SPACES
from .. import lexicons
from .tasks import labels_with_glued, split_names, split_outside_parens

_LIST_SPLIT = re.compile(r"[、，,；;]+")
_UNKNOWN_LABEL = re.compile(rf"{SP}{{2,}}[\u4e00-\u9fff]{{1,6}}[：:]")
_NOISE = re.compile(rf"[（(][^（()）]*[）)]|{RULE}|.{{0,20}}{DIGIT_DATE}.{{0,4}}")


@dataclass
class Footer:
    """The footer's fields: whom the bulletin is reported and sent to (lists, as written), the people
    responsible for it (editor, reviewer, signer …) and the phone."""

    report_to: list[str] = field(default_factory=list)
    send_to: list[str] = field(default_factory=list)
    editor: str | None = None
    reviewer: str | None = None
    signer: str | None = None
    contact: str | None = None
    chief_editor: str | None = None
    proofreader: str | None = None
    phone: str | None = None


@lru_cache(maxsize=1)
def _label_re() -> re.Pattern:
    words = [w for ws in lexicons.footer_labels().values() for w in ws]
    # a label starts a line or follows spaces: 责任编辑：董军  联系电话：8219262
    return re.compile(rf"(?:^|(?<={SP}))(?P<label>{lexicons.alternation(words)}){SPACES}[：:]{SPACES}", re.M)


@lru_cache(maxsize=1)
def _glued_label_re() -> re.Pattern:
    """A person or phone label glued to the value before it (OCR drops the spaces: 编辑：孙丽审稿：周立群)."""
    words = [
        w for f, ws in lexicons.footer_labels().items() if f not in ("report_to", "send_to") for w in ws if len(w) >= 2
    ]
    return re.compile(rf"(?<=[\u4e00-\u9fff])(?P<label>{lexicons.alternation(words)}){SPACES}[：:]{SPACES}")


@lru_cache(maxsize=1)
def _field_of() -> dict[str, str]:
    return {w: f for f, ws in lexicons.footer_labels().items() for w in ws}


def parse_footer(text: str, start: int) -> Footer:
    """The labelled fields of the footer from `start` on (`抄送：…` → send_to, `责任编辑：董军` → editor): a list
    field collects every value, any other keeps the first; a label the lexicon does not know ends a value."""
    region = text[start:]
    out = Footer()
    matches = labels_with_glued(region, _label_re(), _glued_label_re())
    for i, m in enumerate(matches):
        stop = matches[i + 1].start() if i + 1 < len(matches) else len(region)
        nl = region.find("\n\n", m.end(), stop)
        lines = region[m.end() : nl if nl >= 0 else stop].strip().split("\n")
        # a list may wrap onto the next line; a print note (（共印30份）) or a rule ends it
        kept: list[str] = []
        for line in lines:
            if kept and _NOISE.fullmatch(line.strip()):
                break
            kept.append(line.strip())
        value = "".join(kept).rstrip("。")
        other = _UNKNOWN_LABEL.search(value)
        if other:  # 责任编辑：孙雅琪  校对：吴迪: a label this lexicon does not know still ends the value
            value = value[: other.start()]
        f = _field_of()[m.group("label")]
        if f in ("report_to", "send_to"):
            getattr(out, f).extend(v.strip() for v in split_outside_parens(value, _LIST_SPLIT) if v.strip())
        elif f == "phone":
            out.phone = out.phone or value.split()[0] if value else out.phone
        else:
            names = split_names(value)
            setattr(out, f, getattr(out, f) or (names[0] if len(names) == 1 else value or None))
    return out
