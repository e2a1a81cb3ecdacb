"""Archive runs at scale: generated bulletins through `bulletin batch`, then `search` on the database.

    .venv/bin/python benchmarks/bench_batch.py [--docs 10000] [--small 1000]

Generation is part of the script (fixed seed): each bulletin is a sample with its place name, numbers,
day dates and one section changed. Printed, all measured in this run:
- documents/s with --jobs 1 and --jobs 2 on the first SMALL documents, and the speed-up (goal ≥ 1.7×);
- peak RSS of the whole process tree (the batch and its workers) at SMALL and at DOCS documents, both
  with --jobs 2, and their ratio (goal ≤ 1.2×: memory does not grow with the archive);
- the database's size;
- search latency p50/p95 over a mix of queries on the DOCS-document database (goal: p50 < 50 ms);
- full-text search: how many sections a word finds through the trigram index (with the substring scan
  for words under three characters, as `search` does) and through jieba tokens in an FTS5 column,
  against a plain substring scan.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

PLACES = ["江城", "河阳", "青川", "白石", "临水", "东岭", "南浦", "西林", "北河", "清源", "石门", "松江"]


def generate(folder: Path, n: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    samples = []
    for p in sorted((ROOT / "samples").glob("*.txt")):
        facts = json.loads((ROOT / "tests" / "facts" / f"{p.stem}.facts.json").read_text(encoding="utf-8"))
        data = p.read_bytes()
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:  # one sample is kept in GB18030 on purpose
            text = data.decode("gb18030")
        samples.append((text, (facts.get("issuer") or "")[:2]))
    folder.mkdir(parents=True)
    for k in range(n):
        text, place = samples[k % len(samples)]
        if place:
            text = text.replace(place, rng.choice(PLACES))
        # numbers (not years) get other digits of the same length; day dates another day
        text = re.sub(r"(?<![\d.])(\d+)(?=\s*(?:万|亿|人|个|件|份|元|家|名|项|次|场|户|%))",
                      lambda m: str(rng.randint(10 ** (len(m.group(1)) - 1), 10 ** len(m.group(1)) - 1)), text)
        text = re.sub(r"(?<![\d月])(\d{1,2})(?=\s*日)", lambda m: str(rng.randint(1, 28)), text)
        # a section's body paragraph left out, now and then
        paras = text.split("\n\n")
        if len(paras) > 8 and rng.random() < 0.5:
            del paras[rng.randrange(4, len(paras) - 3)]
        (folder / f"b{k:05d}.txt").write_text("\n\n".join(paras) + f"\n\n档案编号：{k:05d}\n", encoding="utf-8")


def tree_rss_kb(pid: int) -> int:
    """Resident memory of a process and all its descendants, in kB."""
    total, stack = 0, [pid]
    children: dict[int, list[int]] = {}
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                with open(f"/proc/{d}/stat") as fh:
                    ppid = int(fh.read().rsplit(")", 1)[1].split()[1])
                children.setdefault(ppid, []).append(int(d))
            except (OSError, IndexError, ValueError):
                pass
    while stack:
        p = stack.pop()
        try:
            with open(f"/proc/{p}/status") as fh:
                m = re.search(r"VmRSS:\s+(\d+)", fh.read())
            total += int(m.group(1)) if m else 0
        except OSError:
            pass
        stack += children.get(p, [])
    return total


def run_batch(inputs: list[str], out: Path, jobs: int) -> tuple[float, int, str]:
    """(seconds, peak RSS kB of the process tree, summary line) of one `bulletin batch`."""
    log = out.parent / f"{out.name}.log"
    t = time.perf_counter()
    with open(log, "w") as fh:  # a file, not a pipe: a full pipe would stall the batch
        proc = subprocess.Popen([sys.executable, "-m", "extract.cli", "batch", *inputs, "-o", str(out), "--jobs", str(jobs)],
                                cwd=ROOT, stdout=subprocess.DEVNULL, stderr=fh)
        peak = 0
        while proc.poll() is None:
            peak = max(peak, tree_rss_kb(proc.pid))
            time.sleep(0.5)
    seconds = time.perf_counter() - t
    err = log.read_text()
    if proc.returncode != 0:
        raise SystemExit(f"batch failed ({proc.returncode}): {err[-2000:]}")
    return seconds, peak, err.strip().splitlines()[-1]


def search_latency(db: Path) -> tuple[float, float, int]:
    from extract import db as database
    from extract.search import Query, search

    queries = [Query(unit="元", min_value=1_000_000), Query(unit="元", min_value=1_000_000, period_from="2020-01", period_to="2020-12",
                                                            department="权益保障部"),
               Query(leader="高启秀"), Query(department="宣教网络部"), Query(words="金秋助学"), Query(words="巾帼"),
               Query(words="安全生产", period_from="2022-01"), Query(issuer="市总工会", unit="人", min_value=1000),
               Query(words="送清凉", leader="高启秀"), Query(unit="件", max_value=100, issuer="江城")]
    times, rows = [], 0
    for _ in range(5):
        for q in queries:
            t = time.perf_counter()
            conn = database.connect(str(db))
            rows += len(search(conn, q))
            conn.close()
            times.append(time.perf_counter() - t)
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.95) - 1], rows


def fts_comparison(db: Path, n_words: int = 200, n_sections: int = 20000) -> dict:
    """Sections found per word, among the first n_sections: the trigram FTS as `search` uses it (a
    phrase for three characters or more, the trigrams beginning with two), jieba tokens in an FTS5
    column (query segmented the same way), and the substring scan that is the truth."""
    from extract.search import _match

    import jieba

    from extract.segment import nlp

    nlp()
    conn = sqlite3.connect(db)
    sections = conn.execute("SELECT id, text FROM sections ORDER BY id LIMIT ?", (n_sections,)).fetchall()
    ids = {i for i, _ in sections}
    conn.execute("CREATE VIRTUAL TABLE temp.jieba_fts USING fts5(text, tokenize='unicode61')")
    t = time.perf_counter()
    conn.executemany("INSERT INTO temp.jieba_fts(rowid, text) VALUES (?, ?)",
                     ((i, " ".join(w for w in jieba.cut_for_search(s) if w.strip())) for i, s in sections))
    jieba_build = time.perf_counter() - t
    rng = random.Random(3)
    titles = sorted({r[0] for r in conn.execute("SELECT title FROM sections ORDER BY id LIMIT ?", (n_sections,))})
    words = sorted({w for title in titles for w in jieba.lcut(title) if 2 <= len(w) <= 4 and re.fullmatch(r"[\u4e00-\u9fff]+", w)})
    words = rng.sample(words, min(n_words, len(words)))
    found = {"substring": 0, "trigram": 0, "jieba": 0}
    for w in words:
        truth = {i for (i,) in conn.execute("SELECT id FROM sections WHERE id <= ? AND instr(text, ?) > 0", (max(ids), w))}
        tri = {i for (i,) in conn.execute("SELECT rowid FROM sections_fts WHERE sections_fts MATCH ?", (_match(conn, w),))} & ids
        q = " ".join('"' + t.replace('"', '""') + '"' for t in jieba.lcut_for_search(w) if t.strip())
        jb = {i for (i,) in conn.execute("SELECT rowid FROM jieba_fts WHERE jieba_fts MATCH ?", (q,))} if q else set()
        found["substring"] += len(truth)
        found["trigram"] += len(tri & truth)
        found["jieba"] += len(jb & truth)
    conn.close()
    return {"words": len(words), "jieba_build_s": jieba_build, **found}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--docs", type=int, default=10000)
    ap.add_argument("--small", type=int, default=1000)
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-batch-"))
    try:
        t = time.perf_counter()
        generate(work / "docs", args.docs)
        print(f"generated {args.docs} bulletins in {time.perf_counter() - t:.1f} s", flush=True)
        small = work / "small"
        small.mkdir()
        for p in sorted((work / "docs").iterdir())[:args.small]:
            os.link(p, small / p.name)
        s1, rss1_j1, _ = run_batch([str(small)], work / "out-small-j1", 1)
        s2, rss_small, _ = run_batch([str(small)], work / "out-small-j2", 2)
        print(f"--jobs 1: {args.small / s1:7.1f} documents/s ({s1:.1f} s)")
        print(f"--jobs 2: {args.small / s2:7.1f} documents/s ({s2:.1f} s)   speed-up {s1 / s2:.2f}x (goal >= 1.7x)", flush=True)
        s3, rss_big, line = run_batch([str(work / "docs")], work / "out-big", 2)
        db = work / "out-big" / "bulletins.db"
        print(f"--jobs 2 on {args.docs}: {args.docs / s3:7.1f} documents/s ({s3:.1f} s); {line}")
        print(f"peak RSS (batch + workers, --jobs 2): {rss_small / 1024:.0f} MB at {args.small} documents, "
              f"{rss_big / 1024:.0f} MB at {args.docs}: ratio {rss_big / rss_small:.2f} (goal <= 1.2)")
        print(f"peak RSS --jobs 1 at {args.small}: {rss1_j1 / 1024:.0f} MB")
        conn = sqlite3.connect(db)
        counts = {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("documents", "sections", "figures", "tasks")}
        conn.close()
        jsonl = (work / "out-big" / "bulletins.jsonl").stat().st_size
        print(f"database: {db.stat().st_size / 2**20:.1f} MB for {counts}; bulletins.jsonl {jsonl / 2**20:.1f} MB")
        p50, p95, rows = search_latency(db)
        print(f"search on {args.docs} documents: p50 {p50 * 1000:.1f} ms, p95 {p95 * 1000:.1f} ms (goal p50 < 50 ms); {rows} rows over 50 queries")
        f = fts_comparison(db)
        print(f"full-text, {f['words']} words (2-4 characters) from the titles of the first 20 000 sections, sections "
              f"found there: substring scan {f['substring']}, trigram FTS {f['trigram']} ({f['trigram'] / f['substring']:.1%}), "
              f"jieba-token FTS {f['jieba']} ({f['jieba'] / f['substring']:.1%}; index built in {f['jieba_build_s']:.1f} s)")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
