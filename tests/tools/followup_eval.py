#!/usr/bin/env python3
"""Precision and recall of `bulletin followup`'s `reported` on the hand-labelled series of tests/followup.
usage: followup_eval.py [SERIES_DIR ...] (default: every series). Prints one line per series and a total."""
import json
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))


def evaluate(series: Path) -> dict:
    from extract import db
    from extract.followup import follow_up
    from extract.pipeline import extract_file

    with tempfile.TemporaryDirectory() as tmp:
        conn = db.connect(str(Path(tmp) / "s.db"))
        for f in sorted(series.glob("*.txt")):
            db.load_document(conn, extract_file(str(f)).model_dump(mode="json"))
        got = {(Path(r.plan_document).name, r.task_number): r for r in follow_up(conn)}
        conn.close()
    labels = json.loads((series / "labels.json").read_text(encoding="utf-8"))
    tp = fp = fn = 0
    wrong = []
    for lab in labels:
        r = got.get((lab["plan_file"], lab["plan_section"]))
        want = lab["reported_in"] and (lab["reported_in"]["file"], lab["reported_in"]["section"])
        have = r and r.status == "reported" and (Path(r.reported_document).name, r.reported_number)
        if have and want == have:
            tp += 1
        else:
            fp += bool(have)
            fn += bool(want)
            if have or want:
                wrong.append((lab["plan_file"], lab["plan_section"], lab["fate"], want, have, r and r.score))
        if lab["fate"] == "not_yet_due" and not want and r and r.status not in ("not yet due", "not found"):
            wrong.append((lab["plan_file"], lab["plan_section"], "not_yet_due", None, r.status, r.score))
    seen = len(got)
    return {"series": series.name, "tasks": len(labels), "found_tasks": seen, "tp": tp, "fp": fp, "fn": fn,
            "precision": tp / (tp + fp) if tp + fp else 1.0, "recall": tp / (tp + fn) if tp + fn else 1.0, "wrong": wrong}


def main():
    dirs = [Path(a) for a in sys.argv[1:]] or sorted(p for p in (ROOT / "tests" / "followup").iterdir() if p.is_dir())
    total = {"tp": 0, "fp": 0, "fn": 0}
    for d in dirs:
        r = evaluate(d)
        for k in total:
            total[k] += r[k]
        print(f"{r['series']}: tasks {r['tasks']} (read {r['found_tasks']}), precision {r['precision']:.2f}, "
              f"recall {r['recall']:.2f} (tp {r['tp']}, fp {r['fp']}, fn {r['fn']})")
        for w in r["wrong"]:
            print("   ", w)
    p = total["tp"] / (total["tp"] + total["fp"]) if total["tp"] + total["fp"] else 1.0
    rc = total["tp"] / (total["tp"] + total["fn"]) if total["tp"] + total["fn"] else 1.0
    print(f"total: precision {p:.2f}, recall {rc:.2f} ({total})")


if __name__ == "__main__":
    main()
