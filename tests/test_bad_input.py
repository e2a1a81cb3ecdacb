"""Bad input gives one clear line `bulletin: FILE: reason` (exit 1) or a valid document with warnings;
never a traceback, never a hang."""
import json
import os

import pytest

from conftest import run_cli

TIME_LIMIT = 120  # seconds: a hang fails the case


def _make(kind, tmp):
    p = tmp / f"{kind}.txt"
    if kind == "missing":
        return tmp / "no-such-file.txt"
    if kind == "directory":
        d = tmp / "a-folder.txt"
        d.mkdir()
        return d
    if kind == "empty":
        p.write_bytes(b"")
    elif kind == "whitespace":
        p.write_bytes(b" \n\n \r\n")
    elif kind == "binary":
        p.write_bytes(bytes(range(256)) * 64)
    elif kind == "undecodable":
        p.write_bytes(b"\x81\x30\xff\xfe\xfd\x80" * 200)
    elif kind == "non_bulletin":
        p.write_text("床前明月光，疑是地上霜。\n举头望明月，低头思故乡。\n", encoding="utf-8")
    elif kind == "huge_20mb":
        line = "一、开展活动。6日，慰问职工 5 万多人，发放慰问物资 5900 份。\n".encode("utf-8")
        with open(p, "wb") as fh:
            for _ in range(20_000_000 // len(line) + 1):
                fh.write(line)
    elif kind == "digits_100k":
        p.write_text("荆州市总工会\n\n八月份工作综述\n\n一、" + "7" * 100_000 + "人\n", encoding="utf-8")
    elif kind == "one_long_section":  # 500 000 characters, 20 000 figures and dates in one section
        p.write_text("某某局八月份工作综述\n\n一、开展活动。" + "6日，慰问职工 5 万多人，发放物资 5900 份。" * 20_000, encoding="utf-8")
    elif kind == "nested_500":
        lines = ["某某局八月份工作综述"]
        for i in range(500):
            lab = ["一、", "（一）", "1.", "（1）", "①", "1、"][i % 6]
            lines.append(f"{lab}第{i}层标题，投入资金{i}万元。")
        p.write_text("\n".join(lines), encoding="utf-8")
    elif kind == "unreadable":
        p.write_text("一、测试", encoding="utf-8")
        os.chmod(p, 0)
    return p


# kind, expected: "error:<words in the reason>" or "ok:<warning code or ''>"
CASES = [
    ("missing", "error:no such file"),
    ("directory", "error:is a directory"),
    ("empty", "error:empty file"),
    ("whitespace", "error:empty file"),
    ("binary", "error:binary file"),
    ("undecodable", "error:cannot decode"),
    ("non_bulletin", "ok:no_structure"),
    ("huge_20mb", "error:too large"),
    ("digits_100k", "ok:"),
    ("nested_500", "ok:"),
    ("one_long_section", "ok:"),
]
if os.geteuid() != 0:  # root reads every file
    CASES.append(("unreadable", "error:permission denied"))


@pytest.mark.parametrize("kind,expected", CASES, ids=[c[0] for c in CASES])
def test_bad_input(kind, expected, tmp_path):
    path = _make(kind, tmp_path)
    run = run_cli("extract", path, timeout=TIME_LIMIT)  # an exception the command lets out is raised here
    assert "Traceback" not in run.stderr
    outcome, _, detail = expected.partition(":")
    if outcome == "error":
        assert run.exit_code == 1
        lines = run.stderr.strip().splitlines()
        assert len(lines) == 1, run.stderr
        assert lines[0].startswith(f"bulletin: {path}: ") and detail in lines[0]
        assert run.stdout == ""
    else:
        assert run.exit_code == 0, run.stderr
        doc = json.loads(run.stdout)
        if detail:
            assert detail in [w["code"] for w in doc["warnings"]]


def test_batch_goes_on_after_a_bad_file(tmp_path):
    good = tmp_path / "good.txt"
    good.write_text("某某局八月份工作综述\n\n一、开展活动。6日，慰问职工 50 人。\n", encoding="utf-8")
    out = tmp_path / "out"
    run = run_cli("extract", tmp_path / "missing.txt", good, "-o", out, timeout=TIME_LIMIT)
    assert run.exit_code == 1
    assert run.stderr.count("\n") == 1 and "missing.txt: no such file" in run.stderr
    doc = json.loads((out / "good.json").read_text(encoding="utf-8"))
    assert doc["parts"][0]["sections"][0]["figures"][0]["value"] == 50
    assert not [p for p in out.iterdir() if p.name.startswith(".tmp-")]


def test_usage_error_exits_2():
    run = run_cli("extract", "--no-such-option")
    assert run.exit_code == 2
