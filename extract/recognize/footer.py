"""The distribution footer: 报/送/发/抄送 lists, 责任编辑/审核/签发, 联系电话."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from .. import lexicons
from .tasks import split_names

_LIST_SPLIT = re.compile(r"[、，,；;]+")


@dataclass
class Footer:
    report_to: list[str] = field(default_factory=list)
    send_to: list[str] = field(default_factory=list)
    editor: str | None = None
    reviewer: str | None = None
    signer: str | None = None
    phone: str | None = None


@lru_cache(maxsize=1)
def _label_re() -> re.Pattern:
    words = [w for ws in lexicons.footer_labels().values() for w in ws]
    # a label starts a line or follows spaces: 责任编辑：董军  联系电话：8219262
    return re.compile(rf"(?:^|(?<=[ \t\u3000]))(?P<label>{lexicons.alternation(words)})[ \t\u3000]*[：:][ \t\u3000]*", re.M)


@lru_cache(maxsize=1)
def _field_of() -> dict[str, str]:
    return {w: f for f, ws in lexicons.footer_labels().items() for w in ws}


def parse_footer(text: str, start: int) -> Footer:
    region = text[start:]
    out = Footer()
    matches = list(_label_re().finditer(region))
    for i, m in enumerate(matches):
        stop = matches[i + 1].start() if i + 1 < len(matches) else len(region)
        nl = region.find("\n\n", m.end(), stop)
        value = region[m.end(): nl if nl >= 0 else stop].strip().rstrip("。")
        value = re.sub(r"\s*\n\s*", "", value)  # a list that wraps onto the next line
        f = _field_of()[m.group("label")]
        if f in ("report_to", "send_to"):
            getattr(out, f).extend(v.strip() for v in _LIST_SPLIT.split(value) if v.strip())
        elif f == "phone":
            out.phone = out.phone or value.split()[0] if value else out.phone
        else:
            names = split_names(value)
            setattr(out, f, getattr(out, f) or (names[0] if len(names) == 1 else value or None))
    return out
