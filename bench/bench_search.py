"""Search through the database names index: latency at 10k/100k/1M records on SQLite and PostgreSQL,
index build time and size, and recall/MRR of the reference name pairs through the database search.

Latency: demo-generated names imported with `rollcall import` semantics (do_import_list, which
writes the index in the import's transaction), then the names index rebuilt once more on its own
to time it (`rollcall index --rebuild`). Queries: 200 names from the same generator with another
seed, as people type them: three in four whole names, one in eight a single word, one in eight a
word and an initial. Each query set runs through `search_persons` several times: the first pass
in a fresh process (cold caches), then staff searches (records and reasons, what `rollcall search`
and the staff page show), public searches (`detail=False`, what the public page and API show) and
staff searches with filters (sex and birth year).

Recall: every right-hand name of ../shared/reference/names/dev_pairs.csv and 100,000 distractors
from bench_names' generator (Armenian, Russian and Azerbaijani names in any script and spelling,
namesakes of the pair people left out) are imported into a fresh database; each positive pair's
left name is searched with `search_persons(left, limit=10)`; the rank is that of the person holding
the right-hand record, other right-hand spellings of the same person (same group) not counting as
competitors, exactly as bench_names counts.

Each (database, size) runs in its own process with a fresh data directory; PostgreSQL runs in a
throwaway cluster (tests/pgcluster.py). Run: python bench/bench_search.py [--quick]; fewer sizes
with ROLLCALL_BENCH_SEARCH_SIZES=10000,100000; the same measurement on a home built beforehand
with python bench/bench_search.py --measure sqlite|postgresql HOME (DATABASE_URL set for PostgreSQL).
"""

from __future__ import annotations

import csv
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAIRS = ROOT.parent / "shared" / "reference" / "names" / "dev_pairs.csv"
PASSES = 3  # warm passes of each kind; figures are the median over passes


def write_list(path: Path, names: list[tuple[str, str]], seed: int) -> None:
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["record_id", "full_name", "sex", "birth_date"])
        for record_id, name in names:
            writer.writerow([record_id, name, rng.choice(["female", "male"]), str(rng.randint(1930, 2020))])


def make_demo_list(path: Path, rows: int, seed: int) -> None:
    from rollcall_core.demo import iter_names

    write_list(path, [(f"d{i}", name) for i, name in enumerate(iter_names(rows, seed))], seed)


def typed_queries(count: int, seed: int) -> list[str]:
    """Names as people type them: mostly whole, some a single word, some a word and an initial."""
    from rollcall_core.demo import iter_names

    queries = []
    for i, name in enumerate(iter_names(count, seed)):
        words = name.split()
        if i % 8 == 3 and words:
            queries.append(words[0])
        elif i % 8 == 7 and len(words) > 1:
            queries.append(f"{words[0]} {words[1][0]}.")
        else:
            queries.append(name)
    return queries


WORKER = r'''
import json, os, statistics, sys, time
os.environ["DJANGO_SETTINGS_MODULE"] = "rollcall.settings"
from rollcall.cli import setup_django
setup_django(sys.argv[1])
from django.db import connection
from rollcall.registry.actions import do_import_list
from rollcall.registry.models import NameKey, Record
from rollcall.registry.search import SearchFilters, rebuild_index, search_persons
spec = json.loads(open(sys.argv[2], encoding="utf-8").read())
out = {}
if spec.get("file"):
    started = time.perf_counter()
    do_import_list(spec["file"], source_name="bench", kind="other")
    out["import_seconds"] = time.perf_counter() - started
# The index's size as the import left it: measured after the rebuild, PostgreSQL would count the
# replaced rows' space too (a rebuild deletes and re-inserts; VACUUM FULL gives it back).
with connection.cursor() as c:
    if connection.vendor == "sqlite":
        c.execute("select sum(pgsize) from dbstat where name in (select name from sqlite_master where tbl_name = 'registry_namekey')")
    else:
        c.execute("select pg_total_relation_size('registry_namekey')")
    out["index_bytes"] = c.fetchone()[0]
if spec.get("rebuild"):
    started = time.perf_counter()
    rebuild_index()
    out["index_seconds"] = time.perf_counter() - started
out["records"] = Record.objects.count()
out["keys"] = NameKey.objects.count()
if connection.vendor == "postgresql":
    with connection.cursor() as c:
        c.execute("analyze")

def timed(**kwargs):
    latencies = []
    for query in spec["queries"]:
        t = time.perf_counter()
        search_persons(query, limit=10, **kwargs)
        latencies.append(1000 * (time.perf_counter() - t))
    latencies.sort()
    return statistics.median(latencies), latencies[int(0.95 * (len(latencies) - 1))]

if spec["queries"]:
    out["first"] = timed()  # a fresh process: caches cold
    filters = SearchFilters(sex="female", birth_year=1980)
    for kind, kwargs in (("staff", {}), ("public", {"detail": False}), ("filtered", {"filters": filters})):
        runs = [timed(**kwargs) for _ in range(spec["passes"])]
        out[kind] = (statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs))
ranks = []
for left, target, others in spec.get("pairs", []):
    results = search_persons(left, limit=10)
    ids = [{r["record_id"] for r in result.records} for result in results]
    # Other spellings of the same person among the right-hand names are not competitors.
    ids = [found for found in ids if target in found or not found <= set(others)]
    ranks.append(next((i + 1 for i, found in enumerate(ids) if target in found), None))
out["ranks"] = ranks
print(json.dumps(out))
'''


def run_case(database: str, spec: dict, home: str = "") -> dict:
    """One case in its own process: a fresh home (and cluster), or an existing home as it is."""
    existing = bool(home)
    home = home or tempfile.mkdtemp(prefix="rollcall-bench-search-")
    spec_path = Path(tempfile.mkdtemp(prefix="rollcall-bench-spec-")) / "spec.json"
    spec_path.write_text(json.dumps(spec), encoding="utf-8")
    drop = {"ROLLCALL_HOME"} if existing else {"DATABASE_URL", "ROLLCALL_HOME"}
    env = {k: v for k, v in os.environ.items() if k not in drop}
    command = [sys.executable, "-c", WORKER, home, str(spec_path)]
    if database == "postgresql" and not existing:
        command = [sys.executable, str(ROOT / "tests" / "pgcluster.py"), "--", *command]
    try:
        result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    finally:
        # A 1M-record home is most of a gigabyte: keep nothing the benchmark made.
        shutil.rmtree(spec_path.parent, ignore_errors=True)
        if not existing:
            shutil.rmtree(home, ignore_errors=True)
    if result.returncode != 0:
        raise RuntimeError(f"{database}: {result.stderr.strip().splitlines()[-1] if result.stderr.strip() else 'failed'}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def recall_case(work: Path, distractors: int) -> str:
    sys.path.insert(0, str(ROOT / "bench"))
    from bench_names import _people_in_pairs, generate_distractors, load_pairs

    rows = load_pairs()
    rights = sorted({r["right"] for r in rows})
    right_ids = {name: f"pair-{i}" for i, name in enumerate(rights)}
    group_of: dict[str, set[str]] = defaultdict(set)
    for r in rows:
        if r["label"] == "1":
            group_of[r["group"]].add(right_ids[r["right"]])
    names = [(right_ids[name], name) for name in rights]
    names += [(f"x{i}", name) for i, name in enumerate(generate_distractors(distractors, 11, _people_in_pairs(rows)))]
    path = work / "recall.csv"
    write_list(path, names, 7)
    pairs = [
        (r["left"], right_ids[r["right"]], sorted(group_of[r["group"]] - {right_ids[r["right"]]}))
        for r in rows
        if r["label"] == "1"
    ]
    out = run_case("sqlite", {"file": str(path), "queries": [], "pairs": pairs, "passes": 0})
    ranks = out["ranks"]
    n = len(ranks)
    r1 = sum(1 for r in ranks if r == 1) / n
    r10 = sum(1 for r in ranks if r is not None and r <= 10) / n
    mrr = sum(1 / r for r in ranks if r) / n
    return (
        f"Reference pairs through the database search (SQLite): the {n} positive pairs of dev_pairs.csv, each left "
        f"name searched with `search_persons(left, limit=10)` among all {len(rights)} right-hand names and "
        f"{distractors:,} distractors from bench_names' generator (namesakes of the pair people left out), other "
        f"spellings of the same person not counted as competitors: recall@1 {r1:.3f}, recall@10 {r10:.3f}, "
        f"MRR {mrr:.3f}."
    )


def sizes_to_run(quick: bool) -> list[int]:
    """10k, 100k and 1M records; ROLLCALL_BENCH_SEARCH_SIZES (e.g. "10000,100000") runs fewer."""
    chosen = os.environ.get("ROLLCALL_BENCH_SEARCH_SIZES")
    if chosen:
        return [int(size) for size in chosen.split(",")]
    return [10_000] if quick else [10_000, 100_000, 1_000_000]


def row(database: str, out: dict) -> str:
    def pair(kind: str) -> str:
        return f"{out[kind][0]:.1f} / {out[kind][1]:.1f}"

    seconds = f"{out['import_seconds']:.0f} | {out['index_seconds']:.0f}" if "import_seconds" in out else "see below | see below"
    return (
        f"| {database} | {out['records']:,} | {seconds} | {out['keys']:,} | {out['index_bytes'] / 2**20:.0f} "
        f"| {pair('first')} | {pair('staff')} | {pair('public')} | {pair('filtered')} |"
    )


def measure_existing(database: str, home: str) -> str:
    """Latency on a home built beforehand (e.g. a 1M-record one): the same queries and passes."""
    sys.path.insert(0, str(ROOT / "src"))
    return row(database, run_case(database, {"file": "", "queries": typed_queries(200, 99), "passes": PASSES}, home))


def run(quick: bool = False) -> str:
    sizes = sizes_to_run(quick)
    work = Path(tempfile.mkdtemp(prefix="rollcall-bench-search-lists-"))
    sys.path.insert(0, str(ROOT / "src"))
    queries = typed_queries(200, 99)
    lines = [
        "## Search",
        "",
        "`search_persons` (what `rollcall search`, the staff and public pages and the API call) over "
        "demo-generated names. 200 queries from the same generator (another seed): 3 in 4 whole names, "
        "1 in 8 a single word, 1 in 8 a word and an initial. One process per case, fresh database; "
        "first pass in a fresh process, then the median of "
        f"{PASSES} passes each of staff searches (records and why), public searches (no records read) and "
        "staff searches filtered by sex and birth year. Index: import with the index in its transaction, "
        "then `rollcall index --rebuild` timed alone; size is the key table and all its indexes as the import "
        "left them (SQLite dbstat, PostgreSQL pg_total_relation_size). Command: `python bench/run.py --only search`.",
        "",
        "| database | records | import (s) | index rebuild (s) | index keys | index size (MiB) "
        "| first pass p50 / p95 (ms) | staff p50 / p95 (ms) | public p50 / p95 (ms) | filtered p50 / p95 (ms) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for size in sizes:
        list_path = work / f"list-{size}.csv"
        make_demo_list(list_path, size, 5)
        for database in ("sqlite", "postgresql"):
            spec = {"file": str(list_path), "queries": queries, "passes": 1 if quick else PASSES, "rebuild": True}
            try:
                out = run_case(database, spec)
            except RuntimeError as error:
                lines.append(f"| {database} | {size:,} | failed: {error} | | | | | | | |")
                continue
            lines.append(row(database, out))
    recall = recall_case(work, 20_000 if quick else 100_000)
    shutil.rmtree(work, ignore_errors=True)
    return "\n".join([*lines, "", recall]) + "\n"


if __name__ == "__main__":
    if sys.argv[1:2] == ["--measure"]:
        # python bench/bench_search.py --measure sqlite|postgresql HOME (DATABASE_URL for PostgreSQL)
        print(measure_existing(sys.argv[2], sys.argv[3]))
    else:
        print(run(quick="--quick" in sys.argv))
