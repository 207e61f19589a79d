"""A standard Splink 5 configuration on the scenarios of linkage_quality.py: how hard each scenario is.

The issue measured "a standard Splink 5 configuration" on its held-out scenario at 20,000 people:
pairwise F1 at its best threshold 0.46 on names as written, 0.70 with ASCII folding and 0.80 with a
good cross-script normaliser (0.10 / 0.48 / 0.66 at 0.9). We cannot run its generator; this runs
the same kind of configuration on ours, so that their difficulty can be set beside the held-out
one's (docs/benchmarks.md). It is not rollcall's model: what a competent user would write from
Splink's documentation.

- names: `norm`, rollcall's normalised forms (features.prepare_record: folded, transliterated to
  Latin); `fold`, the names ASCII-folded only (NFKD, accents dropped, lower case; Armenian and
  Cyrillic stay as they are; a full name split as first token given, the rest family). Sex, the
  birth parts, the birth years an age allows and the home place come from rollcall's features in
  both (so `fold` is somewhat optimistic about places).
- comparisons: NameComparison on given and on family (Jaro-Winkler levels, term frequencies on the
  exact level); birth: full date / year / the birth years the ages allow overlap / else; ExactMatch
  on sex and on home place.
- blocking: family; given and sex; birth year. Prior: deterministic rules (given, family, birth
  year) and (given, family, place), recall 0.7. u: random sampling, 1e6 pairs.
- EM training blocks: `A` family, then given+sex (a block on the given name alone needs sex); `H`
  given+family+sex, then the full birth date (the documentation's "names, then date of birth").
  On gen4, A's EM takes "same place, same sex" for the match class (households share both) and
  links almost nothing; H was chosen among seven sets of blocks after seeing scores, so it is the
  more flattering of the two.
- clusters: connected components of the pairs at each threshold; pairwise P / R / F1 over every
  record of the truth (records not linked, or without a name, are singletons).

Run: python bench/splink_baseline.py [gen4|gen3|demo ...] [--people N] [--names norm,fold] [--blocks A,H]
"""

from __future__ import annotations

import logging
import sys
import tempfile
import time
import unicodedata
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

import linkage_quality as lq  # noqa: E402 - after the path is set

THRESHOLDS = (0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.99)
TRAINING_BLOCKS = {"A": (("family",), ("given", "sex")), "H": (("given", "family", "sex"), ("birth_year", "birth_month", "birth_day"))}
MAKERS = {"demo": (lq.demo_lists, 2023), "gen3": (lq.gen3_lists, 1), "gen4": (lq.gen4_lists, 1)}


def _folded(text: str | None) -> str | None:
    if not text:
        return None
    plain = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return " ".join(plain.lower().split()) or None


def _naive_names(fields: dict[str, str]) -> tuple[str | None, str | None]:
    given, family = fields.get("given_name"), fields.get("family_name")
    if not given and not family and fields.get("full_name"):
        first, _, rest = fields["full_name"].strip().partition(" ")
        given, family = first, rest
    return _folded(given), _folded(family)


def records(lists: lq.Lists, names: str) -> Any:
    """One row per record with a name: (list, record_id) and the columns the configuration compares."""
    import pandas as pd

    from rollcall_core.formats.table import open_table
    from rollcall_core.linkage.features import has_a_name, prepare_record

    place_of = lq._place_resolver()
    rows = []
    for list_name, _, path in lists:
        for row in open_table(path).rows():
            fields = getattr(row, "fields", None)
            if fields is None:
                continue
            features = prepare_record((list_name, fields.get("record_id", "")), fields, place_of)
            if not has_a_name(features):
                continue
            given, family = (features["given"], features["family"]) if names == "norm" else _naive_names(fields)
            if given is None and family is None:
                continue
            rows.append({"key": features["unique_id"], "given": given, "family": family, "sex": features["sex"],
                         **{c: features[c] for c in ("birth_year", "birth_month", "birth_day", "by_low", "by_high", "place")}})  # fmt: skip
    frame = pd.DataFrame(rows)
    frame["unique_id"] = range(len(frame))
    for column in ("birth_year", "birth_month", "birth_day", "by_low", "by_high"):
        frame[column] = frame[column].astype("Int64")
    return frame


def predict(frame: Any, blocks: str) -> Any:
    """Pairs at 0.5 or more under the standard configuration trained on `blocks`."""
    import splink.comparison_level_library as cll
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    birth = cl.CustomComparison(
        output_column_name="birth",
        comparison_levels=[
            cll.CustomLevel("(birth_year_l IS NULL AND by_low_l IS NULL) OR (birth_year_r IS NULL AND by_low_r IS NULL)",
                            label_for_charts="no birth year or age").configure(is_null_level=True),  # fmt: skip
            cll.CustomLevel("birth_year_l = birth_year_r AND birth_month_l = birth_month_r AND birth_day_l = birth_day_r",
                            label_for_charts="same full date"),  # fmt: skip
            cll.CustomLevel("birth_year_l = birth_year_r", label_for_charts="same birth year"),
            cll.CustomLevel("by_low_l <= by_high_r AND by_low_r <= by_high_l", label_for_charts="birth years overlap"),
            cll.ElseLevel(),
        ],
    )
    settings = SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name="unique_id",
        comparisons=[cl.NameComparison("given"), cl.NameComparison("family"), birth, cl.ExactMatch("sex"), cl.ExactMatch("place")],
        blocking_rules_to_generate_predictions=[block_on("family"), block_on("given", "sex"), block_on("birth_year")],
    )
    linker = Linker(DuckDBAPI().register(frame.drop(columns=["key"])), settings, log_level=logging.WARNING)
    linker.training.estimate_probability_two_random_records_match(
        [block_on("given", "family", "birth_year"), block_on("given", "family", "place")], recall=0.7
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=1e6, seed=1)
    for columns in TRAINING_BLOCKS[blocks]:
        linker.training.estimate_parameters_using_expectation_maximisation(block_on(*columns))
    return linker.inference.predict(threshold_match_probability=0.5).as_pandas_dataframe()


def pairwise(frame: Any, pairs: Any, truth: dict[tuple[str, str], str], threshold: float) -> tuple[float, float, float]:
    """Pairwise P / R / F1 of the connected components at `threshold`, over every record of the truth."""
    from rollcall_core.linkage.clustering import cluster
    from rollcall_core.linkage.evaluate import pairwise_scores

    key_of = dict(zip(frame["unique_id"], frame["key"], strict=True))
    kept = pairs[pairs["match_probability"] >= threshold]
    linked = [(key_of[a], key_of[b], p) for a, b, p in zip(kept["unique_id_l"], kept["unique_id_r"],
                                                             kept["match_probability"], strict=True)]  # fmt: skip
    scores = pairwise_scores(cluster(list(truth), linked, threshold=threshold).cluster_of, truth)
    return scores.precision, scores.recall, scores.f1


def run(labels: list[str], people: int, names: list[str], blocks: list[str]) -> str:
    lines = [
        f"A standard Splink 5 configuration (bench/splink_baseline.py) at {people} people: pairwise P / R / F1 of "
        "connected components, at the best of the thresholds " + ", ".join(map(str, THRESHOLDS)) + " and at 0.9.",
        "",
        "| Scenario | Names | EM blocks | best: threshold, P / R / F1 | at 0.9: P / R / F1 | s |",
        "|---|---|---|---|---|---|",
    ]
    for label in labels:
        make, seed = MAKERS[label]
        with tempfile.TemporaryDirectory(prefix="bench-baseline-") as tmp:
            lists, truth = make(Path(tmp) / "lists", people, seed)
            for form in names:
                frame = records(lists, form)
                for block in blocks:
                    start = time.perf_counter()
                    pairs = predict(frame, block)
                    scores = {t: pairwise(frame, pairs, truth, t) for t in THRESHOLDS}
                    best = max(THRESHOLDS, key=lambda t: scores[t][2])
                    shown = lambda s: " / ".join(f"{v:.3f}" for v in s)  # noqa: E731
                    lines.append(f"| {label} | {form} | {block} | {best}, {shown(scores[best])} | {shown(scores[0.9])} | "
                                 f"{time.perf_counter() - start:.0f} |")  # fmt: skip
                    print(lines[-1], flush=True)
    return "\n".join(lines)


if __name__ == "__main__":
    flags = {"--people", "--names", "--blocks"}
    values = {sys.argv[i + 1] for i, a in enumerate(sys.argv[:-1]) if a in flags}
    chosen = [a for a in sys.argv[1:] if a not in flags and a not in values] or ["gen4", "gen3"]
    print(run(chosen, int(lq._flag("--people") or 20000), (lq._flag("--names") or "norm,fold").split(","),
              (lq._flag("--blocks") or "A,H").split(",")))
