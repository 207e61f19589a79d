"""Linkage quality: blocking recall, pairwise and cluster P/R/F1 on the demo and on three independent
scenarios (bench/linkage_variant.py; bench/gen3 and bench/gen4, written without rollcall's code), through
the command line and in the core.

Through the command line is what a user gets: `rollcall import` each list, `rollcall link`,
`rollcall export records`, person_ids scored against the truth. The core figures run the same
features, model and constrained clustering in-process, with the list each record came from
(`sources`: one prior within lists, one across), at the default threshold and at the best one,
and count the blocked pairs and the share of true pairs they keep.

Run: python bench/linkage_quality.py [--quick] [--core-only] [--pairwise] [--cohesion X] [--neighbour-rows N]
[--order shuffled|sorted]; bench_linkage.py includes its table. --pairwise scores without `one_to_one` (each
pair on its own evidence), --cohesion X clusters with another cohesion (0: off) and --neighbour-rows N counts
neighbouring rows within N (0: off), for comparison; --order rewrites every list in another order first
(rows shuffled, or sorted by name), to see what neighbouring rows do when a list's order says nothing;
--core-only skips the command-line runs.
"""

from __future__ import annotations

import csv
import itertools
import os
import random
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from rollcall_core.linkage.clustering import DEFAULT_COHESION  # noqa: E402 - after the path is set
from rollcall_core.linkage.features import PlaceResolver  # noqa: E402
from rollcall_core.linkage.neighbours import NEIGHBOUR_ROWS  # noqa: E402

DEFAULT_THRESHOLD = 0.4  # LINKAGE_UPPER_THRESHOLD's default (src/rollcall/settings.py)
# rollcall.linkage.actions.KEPT_PAIR_FLOOR (the core cannot import the app): every kept pair counts in cohesion.
KEPT_PAIR_FLOOR = 0.05
GRID = (0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)

Lists = list[tuple[str, str, Path]]  # (list name, kind, file)


def demo_lists(out: Path, people: int, seed: int) -> tuple[Lists, dict[tuple[str, str], str]]:
    from rollcall_core.demo.scenario import write_scenario

    manifest = write_scenario(out, people=people, seed=seed)
    lists = [(item.name, item.kind, out / item.filename) for item in manifest.lists]
    return lists, _truth(manifest.truth_path)


def variant_lists(out: Path, people: int, seed: int) -> tuple[Lists, dict[tuple[str, str], str]]:
    from linkage_variant import write_variant

    written = write_variant(out, people=people, seed=seed)
    return [(name, kind, out / filename) for name, kind, filename in written], _truth(out / "truth.csv")


def gen3_lists(out: Path, people: int, seed: int) -> tuple[Lists, dict[tuple[str, str], str]]:
    """bench/gen3: a scenario from a generator written without rollcall's code (its README)."""
    return _independent_lists(ROOT / "bench" / "gen3" / "heldout.py", out, people, seed)


def gen4_lists(out: Path, people: int, seed: int) -> tuple[Lists, dict[tuple[str, str], str]]:
    """bench/gen4: a second generator written without rollcall's code or gen3 (its README)."""
    return _independent_lists(ROOT / "bench" / "gen4" / "generate.py", out, people, seed)


def _independent_lists(script: Path, out: Path, people: int, seed: int) -> tuple[Lists, dict[tuple[str, str], str]]:
    """The lists and truth of an independent generator that writes lists.json and truth.csv (gen3, gen4)."""
    import json

    subprocess.run([sys.executable, str(script), "--people", str(people), "--seed", str(seed), "--out", str(out)],
                   check=True, capture_output=True)  # fmt: skip
    written = json.loads((out / "lists.json").read_text(encoding="utf-8"))
    lists = [(item["source"], item["kind"], out / filename) for filename, item in written.items()]
    with (out / "truth.csv").open(encoding="utf-8") as handle:
        truth = {(r["source"], r["record_id"]): r["person_key"] for r in csv.DictReader(handle)}
    return lists, truth


def reorder(lists: Lists, order: str, seed: int = 3) -> None:
    """Rewrite each list's rows (not its header) shuffled or sorted by the name columns, in place."""
    rng = random.Random(seed)
    for _, _, path in lists:
        # The demo's hospital list comes from an old Windows machine: cp1251 and semicolons.
        try:
            path.read_bytes().decode("utf-8")
            encoding = "utf-8"
        except UnicodeDecodeError:
            encoding = "cp1251"
        first = path.read_bytes().decode(encoding).split("\n", 1)[0]
        delimiter = ";" if ";" in first and "," not in first else ","
        with path.open(encoding=encoding, newline="") as handle:
            header, *body = list(csv.reader(handle, delimiter=delimiter))
        if order == "shuffled":
            rng.shuffle(body)
        elif order == "sorted":
            columns = [i for i, c in enumerate(header) if c in {"family_name", "full_name", "name", "given_name"}]
            body.sort(key=lambda row: [row[i] for i in columns or [1]])
        else:
            raise ValueError(f"--order {order!r}: use shuffled or sorted")
        with path.open("w", encoding=encoding, newline="") as handle:
            writer = csv.writer(handle, delimiter=delimiter)
            writer.writerow(header)
            writer.writerows(body)


def _truth(path: Path) -> dict[tuple[str, str], str]:
    with path.open(encoding="utf-8-sig") as handle:
        return {(r["list_name"], r["record_id"]): r["person_key"] for r in csv.DictReader(handle)}


# ----------------------------------------------------------------------------- through the command


def _rollcall(home: Path, *args: str) -> str:
    env = {**os.environ, "ROLLCALL_HOME": str(home), "PYTHONPATH": str(ROOT / "src")}
    done = subprocess.run([sys.executable, "-m", "rollcall.cli", *args], env=env, capture_output=True, text=True,
                          check=True)  # fmt: skip
    return done.stdout


def through_command(lists: Lists, truth: dict[tuple[str, str], str], home: Path) -> dict[str, float]:
    from rollcall_core.linkage.evaluate import cluster_scores, pairwise_scores

    name_of = {}
    for name, kind, path in lists:
        source = f"{name} list"
        name_of[source] = name
        _rollcall(home, "import", str(path), "--source", source, "--kind", kind)
    started = time.perf_counter()
    _rollcall(home, "link")
    seconds = time.perf_counter() - started
    export = home / "records.csv"
    _rollcall(home, "export", "records", "--out", str(export))
    with export.open(encoding="utf-8-sig") as handle:
        predicted = {(name_of.get(r["source"], r["source"]), r["record_id"]): r["person_id"]
                     for r in csv.DictReader(handle)}  # fmt: skip
    pairwise, clusters = pairwise_scores(predicted, truth), cluster_scores(predicted, truth)
    return {"p": pairwise.precision, "r": pairwise.recall, "f1": pairwise.f1, "cluster_f1": clusters.f1,
            "seconds": seconds}  # fmt: skip


# ----------------------------------------------------------------------------- in the core


def _place_resolver() -> PlaceResolver:
    """Home place -> gazetteer key through every name of every place, as `rollcall link` resolves it."""
    from rollcall_core.linkage.features import gazetteer_resolver

    return gazetteer_resolver()


def in_core(
    lists: Lists,
    truth: dict[tuple[str, str], str],
    one_to_one: bool = True,
    cohesion: float = DEFAULT_COHESION,
    window: int | None = None,
    neighbour_rows: int = NEIGHBOUR_ROWS,
) -> dict[str, Any]:
    import duckdb
    import pandas as pd

    from rollcall_core.formats.table import open_table
    from rollcall_core.linkage.blocking import DEFAULT_WINDOW, STANDARD_BLOCKING_RULES, blocked_pairs_sql
    from rollcall_core.linkage.clustering import cluster, split_pairs
    from rollcall_core.linkage.evaluate import cluster_scores, pairwise_scores
    from rollcall_core.linkage.features import FEATURE_COLUMNS, INTEGER_FEATURES, has_a_name, prepare_record
    from rollcall_core.linkage.model import train_and_predict, with_place_shares

    window = DEFAULT_WINDOW if window is None else window
    place_of = _place_resolver()
    rows, source_of, row_of = [], {}, {}
    for name, _, path in lists:
        for number, row in enumerate(open_table(path).rows()):
            fields = getattr(row, "fields", None)
            if fields is None:
                continue
            key = (name, fields.get("record_id", ""))
            source_of[key] = name
            row_of[key] = number
            rows.append(prepare_record(key, fields, place_of))
    linkable = [r for r in rows if has_a_name(r)]
    index = {r["unique_id"]: i for i, r in enumerate(linkable)}
    frame = pd.DataFrame(
        [{**r, "unique_id": index[r["unique_id"]]} for r in linkable], columns=list(FEATURE_COLUMNS)
    )
    for column in INTEGER_FEATURES:
        frame[column] = frame[column].astype("Int64")
    keys = [r["unique_id"] for r in linkable]
    # Blocking recall: every pair some rule admits, against every true pair of linkable records.
    con = duckdb.connect()
    con.register("f", with_place_shares(frame)[0])  # the table the model blocks on
    blocked = {
        (a, b) for _, a, b in con.execute(blocked_pairs_sql("f", STANDARD_BLOCKING_RULES, window)).fetchall()
    }
    by_person: dict[str, list[int]] = defaultdict(list)
    for i, key in enumerate(keys):
        by_person[truth[key]].append(i)
    true_pairs = {p for ids in by_person.values() for p in itertools.combinations(sorted(ids), 2)}
    started = time.perf_counter()
    result = train_and_predict(frame, sources={i: source_of[k] for i, k in enumerate(keys)},
                               u_max_pairs=min(1e6, len(frame) * (len(frame) - 1) / 2), floor=KEPT_PAIR_FLOOR,
                               assign_one_to_one=one_to_one, blocking_window=window,
                               rows={i: row_of[k] for i, k in enumerate(keys)}, neighbour_rows=neighbour_rows)  # fmt: skip
    seconds = time.perf_counter() - started
    scored: dict[float, tuple[Any, Any]] = {}
    for threshold in sorted({*GRID, DEFAULT_THRESHOLD}):
        # As `rollcall link` does: pairs at the threshold join, every other kept pair counts in cohesion.
        strong, unsure, _ = split_pairs(result.pairs, KEPT_PAIR_FLOOR, threshold)
        clusters = cluster([r["unique_id"] for r in rows], [(keys[a], keys[b], p) for a, b, p in strong],
                           threshold=threshold, source_of=source_of, cohesion=cohesion,
                           weak=[(keys[a], keys[b], p) for a, b, p in unsure])  # fmt: skip
        scored[threshold] = (
            pairwise_scores(clusters.cluster_of, truth),
            cluster_scores(clusters.cluster_of, truth),
        )
    best = max(scored, key=lambda t: scored[t][0].f1)
    at = scored[DEFAULT_THRESHOLD]
    # The model's prior is the one across lists (the within-list one is logged): compare like with like.
    across = sum(1 for a, b in true_pairs if source_of[keys[a]] != source_of[keys[b]])
    sizes: dict[str, int] = defaultdict(int)
    for key in keys:
        sizes[source_of[key]] += 1
    n = len(frame)
    true_prior = across / (n * (n - 1) / 2 - sum(s * (s - 1) / 2 for s in sizes.values()))
    return {
        "records": len(rows), "blocked": len(blocked), "block_recall": len(blocked & true_pairs) / len(true_pairs),
        "p": at[0].precision, "r": at[0].recall, "f1": at[0].f1, "cluster_p": at[1].precision,
        "cluster_r": at[1].recall, "cluster_f1": at[1].f1, "best_threshold": best, "best_f1": scored[best][0].f1,
        "prior": result.model.prior, "true_prior": true_prior, "seconds": seconds,
    }  # fmt: skip


# ----------------------------------------------------------------------------- report


def run(
    quick: bool = False,
    core_only: bool = False,
    one_to_one: bool = True,
    cohesion: float = DEFAULT_COHESION,
    neighbour_rows: int = NEIGHBOUR_ROWS,
    order: str | None = None,
) -> str:
    demo_sizes = (2000,) if quick else (2000, 20000)
    variant_sizes = (5000,) if quick else (5000, 20000)
    independent_sizes = (2000,) if quick else (2000, 20000)
    core_rows, command_rows = [], []
    for label, make, sizes, seed in (
        ("demo", demo_lists, demo_sizes, 2023),
        ("variant", variant_lists, variant_sizes, 7),
        ("gen3", gen3_lists, independent_sizes, 1),
        ("gen4", gen4_lists, independent_sizes, 1),
    ):
        for people in sizes:
            with tempfile.TemporaryDirectory(prefix="bench-quality-") as tmp:
                lists, truth = make(Path(tmp) / "lists", people, seed)
                if order:
                    reorder(lists, order)
                c = in_core(lists, truth, one_to_one, cohesion, neighbour_rows=neighbour_rows)
                core_rows.append(
                    f"| {label} | {people} | {c['records']} | {c['blocked']} | {c['block_recall']:.4f} | "
                    f"{c['p']:.3f} / {c['r']:.3f} / {c['f1']:.3f} | {c['cluster_p']:.3f} / {c['cluster_r']:.3f} / "
                    f"{c['cluster_f1']:.3f} | {c['best_f1']:.3f} ({c['best_threshold']}) | "
                    f"{c['prior']:.2e} / {c['true_prior']:.2e} | {c['seconds']:.1f} |"
                )
                if (people == sizes[0] or label in ("gen3", "gen4")) and not core_only:
                    os.environ["ROLLCALL_LINK_NEIGHBOUR_ROWS"] = str(neighbour_rows)  # what `rollcall link` reads
                    d = through_command(lists, truth, Path(tmp) / "home")
                    command_rows.append(
                        f"| {label} | {people} | {d['p']:.3f} | {d['r']:.3f} | {d['f1']:.3f} | {d['cluster_f1']:.3f} | "
                        f"{d['seconds']:.1f} |"
                    )
    lines = [
        "Linkage quality in the core (features, Splink model with the list each record came from, constrained "
        f"clustering) at the default threshold {DEFAULT_THRESHOLD}; `variant` is bench/linkage_variant.py, a "
        "scenario written independently of the demo (other spellings, fields and list sizes); `gen3` and `gen4` are "
        "bench/gen3 and bench/gen4, generators written without rollcall's code (their READMEs):",
        "",
        "| Scenario | People | Records | Blocked pairs | Blocking recall | Pairwise P / R / F1 | Cluster P / R / F1 | "
        "best pairwise F1 (threshold) | prior across lists: estimated / true | train+predict s |",
        "|---|---|---|---|---|---|---|---|---|---|",
        *core_rows,
        "",
        "The same scenarios through the command line (`rollcall import` each list, `rollcall link`, `rollcall export "
        "records`, person_ids scored against the truth), default thresholds:",
        "",
        "| Scenario | People | Pairwise P | Pairwise R | Pairwise F1 | Cluster F1 | `rollcall link` s |",
        "|---|---|---|---|---|---|---|",
        *command_rows,
    ]
    return "\n".join(lines)


def _flag(name: str) -> str | None:
    return sys.argv[sys.argv.index(name) + 1] if name in sys.argv else None


if __name__ == "__main__":
    given, rows = _flag("--cohesion"), _flag("--neighbour-rows")
    print(run(quick="--quick" in sys.argv, core_only="--core-only" in sys.argv, one_to_one="--pairwise" not in sys.argv,
              cohesion=DEFAULT_COHESION if given is None else float(given),
              neighbour_rows=NEIGHBOUR_ROWS if rows is None else int(rows), order=_flag("--order")))  # fmt: skip
