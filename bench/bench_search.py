"""Search through the database names index: latency at 10k/100k/1M records on SQLite and PostgreSQL,
index build time and size, and recall/MRR of the reference name pairs among 100,000 distractors.

Each (database, size) runs in its own process with a fresh data directory; PostgreSQL runs in a
throwaway cluster (tests/pgcluster.py). Run: python bench/bench_search.py [--quick]
"""

from __future__ import annotations

import csv
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAIRS = ROOT.parent / "shared" / "reference" / "names" / "dev_pairs.csv"


def make_list(path: Path, rows: int, seed: int, extra_names: list[str] = ()) -> None:  # type: ignore[assignment]
    sys.path.insert(0, str(ROOT / "src"))
    from rollcall_core.demo import iter_names

    rng = random.Random(seed)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["record_id", "full_name", "sex", "birth_date"])
        for i, name in enumerate(extra_names):
            writer.writerow([f"pair-{i}", name, "", ""])
        for i, name in enumerate(iter_names(rows, seed)):
            writer.writerow([f"d{i}", name, rng.choice(["female", "male"]), str(rng.randint(1930, 2020))])


WORKER = r'''
import json, os, statistics, sys, time
os.environ["DJANGO_SETTINGS_MODULE"] = "rollcall.settings"
from rollcall.cli import setup_django
setup_django(sys.argv[1])
from django.db import connection
from rollcall.registry.actions import do_import_list
from rollcall.registry.models import NameKey, Record
from rollcall.registry.search import search_persons
spec = json.loads(sys.argv[2])
started = time.perf_counter()
do_import_list(spec["file"], source_name="bench", kind="other")
import_seconds = time.perf_counter() - started
out = {"import_seconds": import_seconds, "records": Record.objects.count(), "keys": NameKey.objects.count()}
if connection.vendor == "sqlite":
    out["db_bytes"] = os.path.getsize(os.path.join(sys.argv[1], "rollcall.sqlite3"))
else:
    with connection.cursor() as c:
        c.execute("select pg_total_relation_size('registry_namekey')")
        out["index_bytes"] = c.fetchone()[0]
        c.execute("analyze")
latencies = []
for query in spec["queries"]:
    t = time.perf_counter()
    search_persons(query, limit=10)
    latencies.append(time.perf_counter() - t)
latencies.sort()
out["p50_ms"] = 1000 * statistics.median(latencies)
out["p95_ms"] = 1000 * latencies[int(0.95 * (len(latencies) - 1))]
ranks = []
for left, right_id in spec.get("pairs", []):
    results = search_persons(left, limit=10)
    rank = next((i + 1 for i, r in enumerate(results) if any(rec["record_id"] == right_id for rec in r.records)), None)
    ranks.append(rank)
out["ranks"] = ranks
print(json.dumps(out))
'''


def run_case(database: str, list_path: Path, queries: list[str], pairs: list[tuple[str, str]] = ()) -> dict:  # type: ignore[assignment]
    home = tempfile.mkdtemp(prefix="rollcall-bench-search-")
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "ROLLCALL_HOME"}}
    spec = json.dumps({"file": str(list_path), "queries": queries, "pairs": list(pairs)})
    command = [sys.executable, "-c", WORKER, home, spec]
    if database == "postgresql":
        command = [sys.executable, str(ROOT / "tests" / "pgcluster.py"), "--", *command]
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise RuntimeError(f"{database}: {result.stderr.strip().splitlines()[-1] if result.stderr.strip() else 'failed'}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def load_pairs() -> tuple[list[str], list[tuple[str, str]]]:
    rows = list(csv.DictReader(PAIRS.open(encoding="utf-8")))
    rights = sorted({r["right"] for r in rows})
    right_ids = {name: f"pair-{i}" for i, name in enumerate(rights)}
    positives = [(r["left"], right_ids[r["right"]]) for r in rows if r["label"] == "1"]
    return rights, positives


def run(quick: bool = False) -> str:
    sizes = [10_000] if quick else [10_000, 100_000, 1_000_000]
    work = Path(tempfile.mkdtemp(prefix="rollcall-bench-search-lists-"))
    sys.path.insert(0, str(ROOT / "src"))
    from rollcall_core.demo import iter_names

    queries = list(iter_names(200, 99))
    rights, positives = load_pairs()
    lines = [
        "## Search",
        "",
        "`search_persons` (what `rollcall search` and the search pages call) over demo-generated names, "
        "after `rollcall import` built the names index. Latency over 200 queries drawn from the same name "
        "generator (other seed), one process per case, fresh database. Command: `make bench`.",
        "",
        "| database | records | import + index (s) | index keys | size (MiB) | p50 (ms) | p95 (ms) |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    recall_line = ""
    for size in sizes:
        # The reference pairs' right-hand names go into the 100k list (the 10k one in a quick run).
        pairs_here = size == (sizes[0] if quick else 100_000)
        list_path = work / f"list-{size}.csv"
        make_list(list_path, size, 5, rights if pairs_here else [])
        for database in ("sqlite", "postgresql"):
            try:
                out = run_case(database, list_path, queries, positives if pairs_here and database == "sqlite" else [])
            except RuntimeError as error:
                lines.append(f"| {database} | {size:,} | failed: {error} | | | | |")
                continue
            size_mib = (out.get("db_bytes") or out.get("index_bytes") or 0) / 2**20
            lines.append(
                f"| {database} | {out['records']:,} | {out['import_seconds']:.0f} | {out['keys']:,} | {size_mib:.0f} "
                f"| {out['p50_ms']:.1f} | {out['p95_ms']:.1f} |"
            )
            if out.get("ranks"):
                ranks = out["ranks"]
                r1 = sum(1 for r in ranks if r == 1) / len(ranks)
                r10 = sum(1 for r in ranks if r is not None and r <= 10) / len(ranks)
                mrr = statistics.fmean(1 / r if r else 0 for r in ranks)
                recall_line = (
                    f"Reference pairs through the database search ({len(ranks)} positive pairs of dev_pairs.csv, each left name "
                    f"searched among all {len(rights)} right-hand names mixed into {out['records'] - len(rights):,} demo records): "
                    f"recall@1 {r1:.3f}, recall@10 {r10:.3f}, MRR {mrr:.3f}."
                )
    size_note = "SQLite size is the whole database file; PostgreSQL size is the index table with its indexes."
    return "\n".join([*lines, "", size_note, "", recall_line]) + "\n"


if __name__ == "__main__":
    print(run(quick="--quick" in sys.argv))
