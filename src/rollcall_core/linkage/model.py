"""Training and prediction with Splink 5 (Fellegi-Sunter, EM), and scoring one pair in pure Python.

`train_and_predict` runs the whole batch: prior from deterministic rules on the normalised
forms, u by random sampling, m by EM on blocks, then scored pairs above a floor. The trained
model comes back as a `ModelWeights` (m and u of every level, the prior, Splink's JSON) that
scores a pair without any database, which is what incremental linkage and the review page use.
"""

from __future__ import annotations

import functools
import json
import logging
import math
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from rollcall_core.linkage.blocking import DEFAULT_WINDOW, BlockingRule
from rollcall_core.linkage.comparisons import (
    BIRTH_M,
    EVENT_AWAY_LEVEL,
    EVENT_HOME_LEVEL,
    INITIAL_LEVEL,
    LOOSE_BIRTH_LEVELS,
    PLACE_SHARE_BANDS,
    STANDARD_BLOCKING_RULES,
    STANDARD_DETERMINISTIC_RULES,
    STANDARD_TRAINING_BLOCKS,
    Comparison,
    place_comparison,
    standard_comparisons,
)
from rollcall_core.linkage.features import place_shares
from rollcall_core.linkage.neighbours import (
    MIN_PAIR_PROBABILITY,
    NEIGHBOUR_ROWS,
    NeighbourEvidence,
    bands_for,
    neighbour_bayes_factors,
    record_rows,
    support_levels,
)


@dataclass(frozen=True)
class LevelWeight:
    label: str
    m: float | None
    u: float | None
    is_null: bool

    @property
    def bayes_factor(self) -> float:
        if self.is_null or not self.m or not self.u:
            return 1.0
        return self.m / self.u

    @property
    def weight(self) -> float:
        """log2 of the Bayes factor: the level's contribution to the match weight."""
        return math.log2(self.bayes_factor)


@dataclass(frozen=True)
class Contribution:
    comparison: str
    level: str
    weight: float
    left: str
    right: str


@dataclass(frozen=True)
class PairScore:
    match_weight: float
    match_probability: float
    contributions: tuple[Contribution, ...]


def _shown(value: Any) -> str:
    return "" if value is None else str(value)


# Which feature columns each comparison shows on the review page.
_SHOWN_COLUMNS: dict[str, tuple[str, ...]] = {
    "birth": ("birth_year", "birth_month", "birth_day", "by_low", "by_high"),
    "family": ("family", "family_alt_sk"),  # a maiden name's sound, where a list gives one
    "patronymic": ("patronymic", "patronymic_initials"),  # Балаян А.С.: only the father's initial
    "place": ("place", "district", "event_place"),  # a bulletin's record has only the place of the event
}


@dataclass(frozen=True)
class ModelWeights:
    """A trained model: prior and the m/u probabilities of every comparison level."""

    prior: float
    comparisons: tuple[Comparison, ...]
    levels: tuple[tuple[LevelWeight, ...], ...]
    splink_json: str = ""
    training_log: tuple[str, ...] = field(default=())
    # The prior for two records of the same list (a duplicate within a list is far rarer than a
    # match across lists); None for a model saved before it was kept: `prior` then serves both.
    prior_within: float | None = None
    # Each list's own within-list prior (list id as text -> prior), for lists of at least
    # SHARE_MIN_RECORDS records: lists differ in how often they name a person twice. A list not
    # here (small, or imported after the model was trained) uses `prior_within`.
    prior_within_list: tuple[tuple[str, float], ...] = ()
    # What the batch run learned of neighbouring rows (NeighbourEvidence.to_dict), shown to staff;
    # None when it was not used. Scoring one pair does not use it: one record has no scored neighbours.
    neighbours: Mapping[str, Any] | None = None
    # The share of the records with a home place that each place had when the model was trained,
    # for places above the smallest band (comparisons.PLACE_SHARE_BANDS; any other place scores in
    # it): scoring one pair reads a place's level from it, as the batch run read the table's.
    place_shares: tuple[tuple[str, float], ...] = ()

    @functools.cached_property
    def _share_of_place(self) -> dict[str, float]:
        return dict(self.place_shares)

    def _with_place_share(self, row: Mapping[str, Any]) -> Mapping[str, Any]:
        return {**row, "place_share": self._share_of_place.get(row.get("place"), 0.0)}  # type: ignore[arg-type]

    @property
    def prior_weight(self) -> float:
        """The prior's log-odds for two records of different lists."""
        return math.log2(self.prior / (1 - self.prior))

    @functools.cached_property
    def _prior_by_list(self) -> dict[str, float]:
        # Built once per model: single pairs are scored by the thousand (incremental linking).
        return dict(self.prior_within_list)

    def prior_for(self, same_list: bool, list_id: Any = None) -> float:
        """The prior of a pair: across lists; or within one list, that list's own if the model has it."""
        if not same_list:
            return self.prior
        own = self._prior_by_list.get(str(list_id)) if list_id is not None else None
        return own or self.prior_within or self.prior

    def prior_weight_for(self, same_list: bool, list_id: Any = None) -> float:
        prior = self.prior_for(same_list, list_id)
        return math.log2(prior / (1 - prior))

    def score(
        self, a: Mapping[str, Any], b: Mapping[str, Any], *, same_list: bool = False, list_id: Any = None
    ) -> PairScore:
        """Score two feature rows as the model does (without term-frequency adjustment), with the
        prior for two records of one list (``list_id``'s own where the model has it) when
        `same_list`, else the prior across lists.

        This is the pair's own evidence: the batch run also weighs each record's other candidates
        on the same list (`one_to_one`), which one pair alone cannot.
        """
        total = self.prior_weight_for(same_list, list_id)
        a, b = self._with_place_share(a), self._with_place_share(b)
        contributions = []
        for comparison, weights in zip(self.comparisons, self.levels, strict=True):
            index = comparison.level_of(a, b)
            level = weights[index]
            total += level.weight
            columns = _SHOWN_COLUMNS.get(comparison.name, (comparison.name,))
            left = " ".join(_shown(a.get(c)) for c in columns).strip()
            right = " ".join(_shown(b.get(c)) for c in columns).strip()
            contributions.append(Contribution(comparison.name, level.label, level.weight, left, right))
        probability = 2**total / (1 + 2**total) if total < 1000 else 1.0
        return PairScore(total, probability, tuple(contributions))

    def to_dict(self) -> dict[str, Any]:
        return {
            "prior": self.prior,
            "prior_within": self.prior_within,
            "prior_within_list": dict(self.prior_within_list),
            "neighbours": dict(self.neighbours) if self.neighbours else None,
            "place_shares": dict(self.place_shares),
            "comparisons": [
                {
                    "name": comparison.name,
                    "description": comparison.description,
                    "levels": [
                        {"label": w.label, "m": w.m, "u": w.u, "is_null": w.is_null, "weight": w.weight}
                        for w in weights
                    ],
                }
                for comparison, weights in zip(self.comparisons, self.levels, strict=True)
            ],
            "training_log": list(self.training_log),
        }

    @classmethod
    def from_splink(
        cls,
        splink_settings: Mapping[str, Any],
        comparisons: Sequence[Comparison],
        log: Sequence[str] = (),
        prior_within: float | None = None,
        prior_within_list: Mapping[Any, float] | None = None,
        neighbours: Mapping[str, Any] | None = None,
        place_shares: Mapping[str, float] | None = None,
    ) -> ModelWeights:
        by_name = {c["output_column_name"]: c for c in splink_settings["comparisons"]}
        levels = []
        for comparison in comparisons:
            trained = by_name[comparison.name]["comparison_levels"]
            levels.append(
                tuple(
                    LevelWeight(
                        label=spec.label,
                        m=entry.get("m_probability"),
                        u=entry.get("u_probability"),
                        is_null=bool(entry.get("is_null_level")),
                    )
                    for spec, entry in zip(comparison.levels, trained, strict=True)
                )
            )
        return cls(
            prior=float(splink_settings["probability_two_random_records_match"]),
            comparisons=tuple(comparisons),
            levels=tuple(levels),
            splink_json=json.dumps(splink_settings),
            training_log=tuple(log),
            prior_within=prior_within,
            prior_within_list=tuple((str(k), float(v)) for k, v in (prior_within_list or {}).items()),
            neighbours=neighbours,
            place_shares=_kept_shares(place_shares or {}),
        )

    @classmethod
    def from_dict(
        cls, data: Mapping[str, Any], comparisons: Sequence[Comparison] | None = None
    ) -> ModelWeights:
        comparisons = tuple(comparisons or standard_comparisons())
        by_name = {c["name"]: c for c in data["comparisons"]}

        def weights_of(comparison: Comparison) -> tuple[LevelWeight, ...]:
            # Levels are found by label: a model saved before a level was added or split still
            # scores (the new level weighs nothing) until the next `rollcall link` trains again.
            saved = {w["label"]: w for w in by_name.get(comparison.name, {}).get("levels", [])}
            out = []
            for level in comparison.levels:
                w = saved.get(level.label)
                out.append(
                    LevelWeight(level.label, w["m"], w["u"], w["is_null"])
                    if w
                    else LevelWeight(level.label, None, None, level.is_null)
                )
            return tuple(out)

        levels = tuple(weights_of(c) for c in comparisons)
        within = data.get("prior_within")  # absent from models saved before it was kept
        each = data.get("prior_within_list") or {}
        return cls(prior=float(data["prior"]), comparisons=comparisons, levels=levels,
                   training_log=tuple(data.get("training_log", ())),
                   prior_within=float(within) if within else None,
                   prior_within_list=tuple((str(k), float(v)) for k, v in each.items()),
                   neighbours=data.get("neighbours"),
                   place_shares=_kept_shares(data.get("place_shares") or {}))  # fmt: skip


def _kept_shares(shares: Mapping[str, float]) -> tuple[tuple[str, float], ...]:
    # Only places above the smallest band: a model trained on many villages keeps a few entries.
    smallest = min((low for low, _, _ in PLACE_SHARE_BANDS if low > 0), default=0.0)
    return tuple(sorted((str(p), float(s)) for p, s in shares.items() if s >= smallest))


def with_place_shares(features: Any) -> tuple[Any, dict[str, float]]:
    """The feature table (a pandas DataFrame, or a list of them) with each record's `place_share`
    (features.place_shares over every table), and the shares. A table without a place column is
    returned as it is."""
    tables = features if isinstance(features, list) else [features]
    if any("place" not in getattr(t, "columns", ()) for t in tables):
        return features, {}
    if any(not hasattr(t, "assign") or hasattr(t, "toPandas") for t in tables):
        raise TypeError("the feature table must be a pandas DataFrame (the Spark engine registers it itself)")
    counts: Counter[str] = Counter()
    for table in tables:
        # value_counts leaves out the records that give no place.
        counts.update({str(place): int(count) for place, count in table["place"].value_counts().items()})
    shares = place_shares(counts)
    # 0 where a record gives no place: NaN would compare above every band in DuckDB.
    with_shares = [t.assign(place_share=t["place"].map(shares).astype("float64").fillna(0.0)) for t in tables]
    return (with_shares if isinstance(features, list) else with_shares[0]), shares


@dataclass(frozen=True)
class LinkageResult:
    """Scored pairs (unique_id_l, unique_id_r, match_probability, match_weight) and the model."""

    pairs: Any  # pandas.DataFrame
    model: ModelWeights
    engine: str


def clamp_m_probabilities(trained: dict[str, Any], m_floor: float) -> dict[str, Any]:
    """Raise every trained m probability to at least m_floor (then renormalise each comparison).

    EM on blocks where a field never disagrees among matches drives m('different') to ~0, which
    makes one typo in a patronymic or a wrongly recorded sex veto a match outright (weights of
    -70 and below). Lists from a crisis have such errors; a floor of 0.5% keeps the evidence
    strong but finite.
    """
    for comparison in trained["comparisons"]:
        levels = [lv for lv in comparison["comparison_levels"] if not lv.get("is_null_level")]
        # A level that no training block ever observed has no m at all (None): it gets the floor
        # too. Skipping the comparison instead would leave its other levels unfloored, and a
        # given name read as "similar" would then weigh -10 bits (measured on the demo).
        ms = [lv.get("m_probability") for lv in levels]
        raised = [max(float(m or 0.0), m_floor) for m in ms]
        total = sum(raised)
        for level, m in zip(levels, raised, strict=True):
            level["m_probability"] = m / total
    return trained


def unseen_levels(trained: dict[str, Any], m_floor: float) -> set[tuple[str, str]]:
    """(comparison, level label) of the levels EM and random sampling both missed: m under the floor
    (or none) and u none or 0. The floors would give such a level m 0.5% against u of one sampled
    pair, +12 bits from nothing: on gen3 (bench/gen3) "different, a district not known" weighed
    that once the gazetteer knew the scenario's villages and such pairs became rare."""
    found = set()
    for comparison in trained["comparisons"]:
        for level in comparison["comparison_levels"]:
            if level.get("is_null_level"):
                continue
            if float(level.get("m_probability") or 0.0) < m_floor and not level.get("u_probability"):
                found.add((str(comparison["output_column_name"]), str(level.get("label_for_charts"))))
    return found


def weigh_nothing(trained: dict[str, Any], unseen: set[tuple[str, str]]) -> list[tuple[str, str]]:
    """Give each of the `unseen` levels (after the floors) an m equal to its u: a Bayes factor of 1.
    Levels whose m is set later (the birth date's, the initial's, the event place's) are set again
    there. Returns the levels changed."""
    changed = []
    for comparison in trained["comparisons"]:
        name = str(comparison["output_column_name"])
        levels = [lv for lv in comparison["comparison_levels"] if not lv.get("is_null_level")]
        chosen = {
            str(lv.get("label_for_charts")): float(lv["u_probability"])
            for lv in levels
            if (name, str(lv.get("label_for_charts"))) in unseen
        }
        if chosen and len(chosen) < len(levels):
            _set_m_of(levels, chosen)
            changed += [(name, label) for label in chosen]
    return changed


def floor_u_probabilities(trained: dict[str, Any], u_floor: float) -> dict[str, Any]:
    """Give a level that random sampling never met (u missing or 0) a u of one sampled pair.

    Without it such a level weighs nothing (a Bayes factor of 1): a year-and-month date agreeing
    with a year-and-month date, rare in a sample of a million pairs, would count for nothing
    instead of for much.
    """
    for comparison in trained["comparisons"]:
        for level in comparison["comparison_levels"]:
            if level.get("is_null_level"):
                continue
            if not level.get("u_probability"):
                level["u_probability"] = u_floor
    return trained


def set_initial_m(trained: dict[str, Any], initials: Any, agree_if_same: float = 0.95) -> float | None:
    """m of the given name's "only an initial, and it agrees" level, from its own u.

    No training block holds these pairs (a list that gives only an initial, Арутюнян А., has
    no given name to block on), so EM leaves the level at the floor and an agreeing initial
    counts for nothing. Whether a record gives only an initial does not depend on whether the
    pair matches, so m/u = P(initials agree | match) / P(initials agree | non-match), the latter
    being the chance two records' initials agree (the sum of squared initial frequencies).
    """
    import pandas as pd

    shares = pd.Series(initials).dropna().value_counts(normalize=True)
    agree_by_chance = float((shares**2).sum())
    if not agree_by_chance:
        return None
    for comparison in trained["comparisons"]:
        if comparison["output_column_name"] != "given":
            continue
        levels = [lv for lv in comparison["comparison_levels"] if not lv.get("is_null_level")]
        target = next((lv for lv in levels if lv.get("label_for_charts") == INITIAL_LEVEL), None)
        if target is None or not target.get("u_probability"):
            return None
        m = min(agree_if_same * float(target["u_probability"]) / agree_by_chance, 0.2)
        _set_m_of(levels, {INITIAL_LEVEL: m})
        return m
    return None


# Of the people a casualty list names with only the place of the event, the share hit where they
# live (an assumption, not learned: see set_event_place_m). The offensive of September 2023 shelled
# towns and villages, and most of the civilians it killed or wounded were at home; soldiers were not.
EVENT_AT_HOME = 0.8


def set_event_place_m(trained: dict[str, Any], at_home: float = EVENT_AT_HOME) -> float | None:
    """m of the place comparison's two event levels (the event at the other's home place, or away).

    No training block holds these pairs (a bulletin that gives only an event place gives only an
    initial too), so EM leaves the levels at the floor. Whether a record gives an event place and
    not a home place does not depend on whether the pair matches, so the two levels share among true
    pairs what they share among random ones (their u), split by `at_home` instead of by chance.
    Returns the m of "at the other's home place".
    """
    for comparison in trained["comparisons"]:
        if comparison["output_column_name"] != "place":
            continue
        levels = {lv.get("label_for_charts"): lv for lv in comparison["comparison_levels"] if not lv.get("is_null_level")}
        home, away = levels.get(EVENT_HOME_LEVEL), levels.get(EVENT_AWAY_LEVEL)
        if home is None or away is None or not (home.get("u_probability") and away.get("u_probability")):
            return None
        share = float(home["u_probability"]) + float(away["u_probability"])
        _set_m_of(list(levels.values()), {EVENT_HOME_LEVEL: at_home * share, EVENT_AWAY_LEVEL: (1 - at_home) * share})
        return at_home * share
    return None


def split_place_by_share(
    trained: dict[str, Any], shares: Mapping[str, float], split: Comparison, dialect: Callable[[str], str] = str
) -> dict[str, tuple[float, float]] | None:
    """Replace the place comparison's one "same" level, trained, by the levels of `split` (one per
    band of PLACE_SHARE_BANDS), with m and u split from the trained level's.

    Two records of one person give the same place as often as the records say people live there,
    so m splits by the bands' shares of the records; two records of different people give the
    same place by chance, so u splits by their squared shares (as Splink's term-frequency
    adjustment assumes). EM is not given the bands to learn: there it took a household (one family
    name, one small village, different given names) for one person, and learned on gen3 at 2,000
    people that a quarter of true pairs have different given names (0.005 with one level).
    `dialect` rewrites the new levels' SQL for the engine (engines.spark_sql). Returns the (m, u)
    set, by label; None if the model has no such level.
    """
    for comparison in trained["comparisons"]:
        if comparison["output_column_name"] != "place":
            continue
        levels = comparison["comparison_levels"]
        at = next((i for i, lv in enumerate(levels) if lv.get("label_for_charts") == "same"), None)
        if at is None:
            return None
        m_same, u_same = float(levels[at]["m_probability"]), float(levels[at]["u_probability"])
        chance = sum(s * s for s in shares.values()) or 1.0
        spec = {lv["label_for_charts"]: lv for lv in split.to_splink()["comparison_levels"]}
        chosen: dict[str, tuple[float, float]] = {}
        for low, high, label in PLACE_SHARE_BANDS:
            band = [s for s in shares.values() if low <= s < high]
            # A band no place falls in is never reached; it keeps a tiny m and u rather than none.
            chosen[label] = (max(m_same * sum(band), 1e-6), max(u_same * sum(s * s for s in band) / chance, 1e-9))
        levels[at : at + 1] = [
            {**spec[label], "sql_condition": dialect(spec[label]["sql_condition"]), "m_probability": m, "u_probability": u}
            for label, (m, u) in chosen.items()
        ]
        comparison["comparison_description"] = split.description
        return chosen
    return None


def _set_m_of(levels: list[dict[str, Any]], m_by_label: Mapping[str, float]) -> None:
    """Give the labelled levels these m probabilities and scale the others' to share what is left."""
    others = [lv for lv in levels if lv.get("label_for_charts") not in m_by_label]
    rest = sum(float(lv["m_probability"]) for lv in others)
    left = 1 - sum(m_by_label.values())
    for level in levels:
        label = str(level.get("label_for_charts"))
        level["m_probability"] = m_by_label[label] if label in m_by_label else float(level["m_probability"]) * left / rest


def set_m_probabilities(trained: dict[str, Any], name: str, values: Sequence[float], fix: bool = False) -> None:
    """Set the m probabilities of one comparison's non-null levels (in order); with `fix`, EM leaves them alone."""
    for comparison in trained["comparisons"]:
        if comparison["output_column_name"] != name:
            continue
        levels = [lv for lv in comparison["comparison_levels"] if not lv.get("is_null_level")]
        if len(levels) != len(values):
            raise ValueError(f"{name}: {len(values)} m values for {len(levels)} levels")
        for level, m in zip(levels, values, strict=True):
            level["m_probability"] = m
            if fix:
                level["fix_m_probability"] = True


def m_probabilities(trained: dict[str, Any], name: str) -> tuple[float, ...]:
    """The m probabilities of one comparison's non-null levels (in order), as set_m_probabilities takes them."""
    for comparison in trained["comparisons"]:
        if comparison["output_column_name"] == name:
            levels = [lv for lv in comparison["comparison_levels"] if not lv.get("is_null_level")]
            return tuple(float(lv["m_probability"]) for lv in levels)
    raise KeyError(f"no comparison {name!r} in the model")


def _non_null(comparison: Comparison) -> list[int]:
    """The indexes of a comparison's levels that carry an m (all but its null level), in order."""
    return [index for index, level in enumerate(comparison.levels) if not level.is_null]


# Pairs scored below this many bits of evidence (Bayes factor 32) are not fetched from Splink to
# re-estimate the prior: each can be a match with probability at most 32 x prior, and together
# they change the expected number of matches by well under 1% on the demo and FEBRL.
PRIOR_SCAN_BITS = 5.0


def _logit2(probability: float) -> float:
    return math.log2(probability / (1 - probability))


def _rows(table: Any) -> int:
    """Rows of a pandas or a Spark DataFrame (Spark's has count(), not len())."""
    return int(table.count()) if hasattr(table, "toPandas") else len(table)


# Above this many records (a pandas table) the first prior is estimated on a sample of them.
PRIOR_SAMPLE_RECORDS = 200_000


def _rows_if_pandas(table: Any) -> int:
    """Rows of one pandas DataFrame; 0 for a list of tables or a Spark DataFrame."""
    return len(table) if hasattr(table, "sample") and not hasattr(table, "toPandas") else 0


def _column(table: Any, name: str) -> Any:
    """One column as a pandas Series, from a pandas or a Spark DataFrame; None if it has no such column."""
    if name not in list(getattr(table, "columns", [])):
        return None
    return table.select(name).toPandas()[name] if hasattr(table, "toPandas") else table[name]


def _pair_count(features: Any, link_type: str) -> float:
    """How many record pairs the model compares in principle (the prior's denominator)."""
    if isinstance(features, list):
        sizes = [_rows(f) for f in features]
        if link_type == "link_only":
            return float(sum(a * b for i, a in enumerate(sizes) for b in sizes[i + 1 :]))
        total = sum(sizes)
        return total * (total - 1) / 2
    rows = _rows(features)
    return rows * (rows - 1) / 2


def prior_from_scores(log2_bayes_factors: Any, pairs: float, start: float, iterations: int = 200) -> float:
    """The prior's maximum-likelihood value with m and u held fixed: the fixed point of
    prior = (expected number of matches among the scored pairs) / (all pairs).

    This is EM's update of the prior alone, on every blocked pair rather than inside one training
    block. Why not the deterministic rules' figure: it counts namesakes as matches in a small
    name pool (2x too high on the demo at 10,000 people) and misses matches whose names differ
    across scripts (several times too low on data where exact agreement is rare); the pairs'
    own evidence says how many matches there are. Pairs outside every blocking rule count as
    non-matches, which blocking recall (99.5%) makes nearly true.
    """
    return float(_fixed_point_priors(log2_bayes_factors, None, 1, pairs, start, iterations)[0])


def _fixed_point_priors(
    log2_bayes_factors: Any,
    groups: Any,
    count: int,
    pairs: Any,
    start: Any,
    iterations: int = 200,
    pseudo: Any = None,
) -> Any:
    """`prior_from_scores` for `count` groups of pairs at once (groups: each pair's group, or None for one).

    With `pseudo` (each group's pooled prior), a group's prior is shrunk towards it by pseudo-counts
    worth one expected match: (expected + 1) / (pairs + 1 / pooled). Pairs are counted by their Bayes
    factor rounded to 0.001 bits (0.07% of a factor at most): millions of scored pairs at a million
    records hold a few thousand distinct factors per group, so each iteration is short.
    """
    import numpy as np

    bits = np.round(np.clip(np.asarray(log2_bayes_factors, dtype=float), -60, 60) * 1000).astype(np.int64)
    group = np.zeros(len(bits), dtype=np.int64) if groups is None else np.asarray(groups, dtype=np.int64)
    keys, weight = np.unique(group * 200_001 + (bits + 100_000), return_counts=True)
    of, bayes = keys // 200_001, np.exp2((keys % 200_001 - 100_000) / 1000)
    pairs = np.broadcast_to(np.asarray(pairs, dtype=float), (count,))
    prior = np.clip(np.broadcast_to(np.asarray(start, dtype=float), (count,)), 1e-12, 0.5).copy()
    for _ in range(iterations):
        p = prior[of]
        expected = np.bincount(of, weights=weight * p * bayes / (p * bayes + 1 - p), minlength=count)
        if pseudo is None:
            new = np.clip(expected / pairs, 1e-12, 0.5)
        else:
            new = np.clip((expected + 1) / (pairs + 1 / np.asarray(pseudo, dtype=float)), 1e-12, 0.5)
        done = bool(np.all(np.abs(new - prior) <= 1e-6 * prior))
        prior = new
        if done:
            break
    return prior


@dataclass(frozen=True)
class PairLists:
    """Each scored pair's two lists as small integer codes, and each list's number of records.

    Records with no list (none given, or absent from `sources`) share the last code, `none`: two of
    them count as the same "no list". Looked up through one index: at millions of pairs, tuples of
    (record, list) and dict lookups per pair took most of the time.
    """

    left: Any
    right: Any
    names: list[Any]  # code -> list; the last is None
    sizes: Any  # records per code (the no-list code: at least 1)
    index: Any = None  # pandas Index of the records, in the order of `sources`
    record_codes: Any = None  # each record's list code, in that order

    def of_pairs(self, kept: Any) -> PairLists:
        """The same lists for the pairs `kept` (a boolean mask over the pairs) only."""
        return PairLists(self.left[kept], self.right[kept], self.names, self.sizes, self.index, self.record_codes)

    def records_of(self, ids: Any) -> Any:
        """Each id's position in `index` (-1 for a record not in `sources`)."""
        return self.index.get_indexer(ids)

    @property
    def none(self) -> int:
        return len(self.names) - 1


def pair_lists(frame: Any, sources: Mapping[Any, Any]) -> PairLists:
    import numpy as np
    import pandas as pd

    values = pd.Series(list(sources.values()), dtype=object)
    codes, names = pd.factorize(values)  # a record whose list is None gets -1
    none = len(names)
    codes = np.where(codes < 0, none, codes)
    sizes = np.bincount(codes, minlength=none + 1).astype(float)
    sizes[none] = max(sizes[none], 1.0)
    index = pd.Index(list(sources.keys()))

    def code_of(ids: Any) -> Any:
        position = index.get_indexer(ids)
        return np.where(position >= 0, codes[position], none)

    return PairLists(code_of(frame["unique_id_l"]), code_of(frame["unique_id_r"]), [*names, None], sizes, index, codes)


def _re_estimate_prior(
    frame: Any, first: float, features: Any, link_type: str, sources: Mapping[Any, Any] | None, log: list[str]
) -> tuple[Any, float, float | None, dict[Any, float], PairLists | None]:
    """Scored pairs rescored with the prior re-estimated from them; with `sources` (record -> list),
    one prior for pairs within a list and one for pairs across lists (returned: frame, across, within,
    each list's own within-list prior for lists of at least SHARE_MIN_RECORDS records, and the pairs' lists).

    A list names most people once, so two of its records are far less likely to be one person
    than two records of different lists: on the demo one prior for both let two namesakes of
    the border list (same name and birth year) join as a duplicate. Each prior is estimated from
    its own pairs, so a list that is entirely duplicates gets a high within-list prior from its
    own evidence; and each list's pairs then get that list's own prior (`_within_each_list`).
    """
    import numpy as np

    bayes_bits = frame["match_weight"].to_numpy(dtype=float) - _logit2(first)
    total = _pair_count(features, link_type)
    if sources is None or link_type == "link_only":
        prior = prior_from_scores(bayes_bits, total, first)
        log.append(f"prior re-estimated from the scored pairs (expected matches / all pairs): {prior:.3g}")
        return rescore(frame, first, prior), prior, None, {}, None
    lists = pair_lists(frame, sources)
    within_pairs = float(np.sum(lists.sizes * (lists.sizes - 1) / 2))
    same = lists.left == lists.right
    across = prior_from_scores(bayes_bits[~same], max(total - within_pairs, 1.0), first)
    within = prior_from_scores(bayes_bits[same], max(within_pairs, 1.0), first) if same.any() else across
    priors = np.where(same, within, across)
    log.append(
        f"prior re-estimated from the scored pairs (expected matches / all pairs): {across:.3g} across lists, "
        f"{within:.3g} within a list"
    )
    each: dict[Any, float] = {}
    size = dict(zip(lists.names, lists.sizes.tolist(), strict=True))
    if same.any():
        each = _within_each_list(priors, bayes_bits, same, lists, within)
        if each:
            largest = sorted(each, key=lambda k: -size.get(k, 0))
            more = f" and {len(largest) - 20} more" if len(largest) > 20 else ""
            log.append(
                "prior within each list: " + ", ".join(f"{k} {each[k]:.3g}" for k in largest[:20]) + more
            )
    weight = bayes_bits + np.log2(priors / (1 - priors))
    out = frame.copy()
    out["match_weight"] = weight
    out["match_probability"] = 1 / (1 + np.exp2(-np.clip(weight, -60, 60)))
    kept = {k: v for k, v in each.items() if size.get(k, 0) >= SHARE_MIN_RECORDS}
    return out, across, within, kept, lists


def _within_each_list(
    priors: Any,
    bayes_bits: Any,
    same: Any,
    lists: PairLists,
    pooled: float,
    iterations: int = 200,
) -> dict[Any, float]:
    """Pairs within a list given that list's own prior (in `priors`, in place): lists differ in how
    often they name a person twice (a register typed by volunteers at a shelter, a border list from
    passports). Returns each list's prior.

    Each list's prior is the same fixed point as `prior_from_scores`, shrunk towards the pooled
    within-list prior by pseudo-counts worth one expected match (prior = (expected + 1) /
    (pairs + 1/pooled)): a small list keeps about the pooled prior, a large one gets its own.
    """
    import numpy as np
    import pandas as pd

    rows = np.flatnonzero(same & (lists.left != lists.none))
    if not len(rows):
        return {}
    codes, present = pd.factorize(lists.left[rows])
    n = lists.sizes[present]
    prior = _fixed_point_priors(bayes_bits[rows], codes, len(present), np.maximum(n * (n - 1) / 2, 1.0), pooled,
                                iterations, pseudo=pooled)  # fmt: skip
    priors[rows] = prior[codes]
    return dict(zip([lists.names[c] for c in present], prior.tolist(), strict=True))


SHARE_MIN_RECORDS = 20  # one_to_one: pairs with a list of fewer records keep their pairwise probability
# one_to_one leaves pairs below this alone: at a million demo records 12.7M pairs are scored, most of
# them namesakes at 1e-9 or less, and each competition step summed them all (4.6 s of the run). 1e-4
# since 2026-12-03: with the home place term-frequency adjusted, many more of the demo's namesakes at
# a million records score between 1e-6 and 1e-4, and one_to_one and the neighbouring rows took 9-11 s
# over them instead of 1.5-3.5 s. Every quality figure (demo, variant, gen3 at 2,000-20,000 people)
# is the same to the third digit with 1e-6 and 1e-4.
ONE_TO_ONE_MIN_PROBABILITY = 1e-4


def one_to_one(
    frame: Any,
    sources: Mapping[Any, Any],
    prior: float,
    log: list[str] | None = None,
    # The shares settle within 10 steps on the demo and the variant (the same F1 as 30); at a million
    # records each step over both directions takes about 0.27 s.
    iterations: int = 10,
    lists: PairLists | None = None,
) -> Any:
    """Match probabilities of pairs across lists, each record weighed against its other candidates
    on the same list: a list names a person once, so the candidates compete for one place.

    Pairwise Fellegi-Sunter gives every pair the same prior, as if each record could match any
    number of records of the other list. For a record r of list A and the records j of list B,
    with Bayes factors BF_j (the pair's evidence) and pi_AB the share of A's records that have a
    match on B, the one-to-one posterior is (Jaro 1989's assignment view, written as a
    probability; Sadinle 2017's bipartite prior with one record fixed):

        P(r ~ j) = (pi/n_B) BF_j / ((1 - pi) + (pi/n_B) sum_k BF_k)

    From r's side two namesakes on B with the same evidence share one place (about a half each, less
    the chance that r has no match on B) instead of both scoring high; a thin record with one
    candidate on a list that holds most of its people (a shelter register against the border list:
    pi about 0.8) gets more than the pairwise prior gives it, since "no match at all" is then
    unlikely. pi_AB is estimated by the same fixed point as the prior (expected matches / records).
    The pair's probability is the geometric mean of both directions (r among j's candidates on A,
    j among r's on B): each side must choose the other. So when each namesake has no other
    candidate, the pair keeps about 0.7 of what one candidate alone would get (0.80 pairwise ->
    0.65 each, tests/core/linkage/test_one_to_one.py). Taking the smaller direction instead of
    the geometric mean gave the same F1 at 0.4 on the demo and lost 0.025 at 0.5. Pairs within one
    list (duplicates) keep their pairwise probability, and so do pairs with a list of fewer than
    SHARE_MIN_RECORDS records (each web submission is a list of its own), whose shares are no estimate.

    Lists do name some people twice (a second tracing request, a re-registration at a shelter): r's
    candidates on B that are one person there (a pair of B at DUPLICATE_MIN_PROBABILITY or more,
    `_duplicates_within_lists`) take one place in the sum, at the best Bayes factor among them, so
    that a border record is not split three ways between three requests for the same man, and the
    share pi counts that person once. Measured (core, 20,000 people, pairwise F1 at 0.4, without ->
    with, 2026-12-07): gen4 (bench/gen4, 403 true pairs within its tracing list) 0.8552 -> 0.8590, gen3
    0.9086 -> 0.9097, variant 0.9605 -> 0.9610, demo 0.9433 -> 0.9426.

    Measured (core, threshold 0.4, pairwise F1, without -> with; `python bench/linkage_quality.py
    --quick --core-only [--pairwise]`, 2026-12-01): demo 2,000 people 0.913 -> 0.926, variant 5,000
    people 0.911 -> 0.914; variant 20,000 people (seed 7, the same features, model and clustering)
    0.798 -> 0.831.
    """
    import numpy as np
    import pandas as pd

    if lists is None:
        lists = pair_lists(frame, sources)
    left, right, sizes, names = lists.left, lists.right, lists.sizes, lists.names[:-1]
    codes = len(lists.names)  # list codes run 0 .. codes - 1
    # Pairs across lists that could come to matter: one far below the floor adds next to nothing to its
    # records' competition (its share of the sums is its probability) and keeps its own probability.
    across = (left != right) & (frame["match_probability"].to_numpy() >= ONE_TO_ONE_MIN_PROBABILITY)
    if not across.any():
        return frame
    bayes = np.exp2(np.clip(frame["match_weight"].to_numpy()[across] - _logit2(prior), -60, 60))
    p0 = frame["match_probability"].to_numpy()[across]
    duplicates = _duplicates_within_lists(frame, left == right)
    directions = []
    for mine, theirs, ids, candidates in (
        (left[across], right[across], frame["unique_id_l"].to_numpy()[across], frame["unique_id_r"].to_numpy()[across]),
        (right[across], left[across], frame["unique_id_r"].to_numpy()[across], frame["unique_id_l"].to_numpy()[across]),
    ):
        # Groups: one record against one other list; list pairs: (this record's list, the other list).
        group = pd.factorize(pd.factorize(ids)[0].astype(np.int64) * codes + theirs)[0]
        pair_keys, pair_codes = np.unique(mine.astype(np.int64) * codes + theirs, return_inverse=True)
        n_mine, n_theirs = sizes[pair_keys // codes], sizes[pair_keys % codes]
        # Candidates of one group that are one person on their list (duplicates) take one place in
        # the competition, at the best evidence among them: each is weighed against the others' people,
        # not against its own copies.
        person = duplicates.of(candidates)
        place = pd.factorize(group.astype(np.int64) * (int(person.max()) + 1) + person)[0]
        best = np.zeros(place.max() + 1)
        np.maximum.at(best, place, bayes)
        place_group = np.zeros(len(best), dtype=np.int64)
        place_group[place] = group
        place_codes = np.zeros(len(best), dtype=np.int64)
        place_codes[place] = pair_codes
        pi = np.clip(np.bincount(pair_codes, weights=p0, minlength=len(pair_keys)) / n_mine, 1e-9, 0.99)
        for _ in range(iterations):
            x_place = (pi / n_theirs)[place_codes] * best
            total = np.bincount(place_group, weights=x_place)
            p_place = x_place / ((1 - pi[place_codes]) + total[place_group])
            new = np.clip(np.bincount(place_codes, weights=p_place, minlength=len(pair_keys)) / n_mine, 1e-9, 0.99)
            done = np.all(np.abs(new - pi) <= 1e-4 * np.maximum(pi, 1e-3))
            pi = new
            if done:
                break
        x = (pi / n_theirs)[pair_codes] * bayes
        total = np.bincount(place_group, weights=(pi / n_theirs)[place_codes] * best)
        weighed = x / ((1 - pi[pair_codes]) + total[group])
        # A share is no estimate when either list has only a handful of records (each web submission
        # is a list of one: its record would set its own share to 0 or 1, and the other list's share
        # of matches on it falls to 0 at the fixed point): such pairs keep their own probability.
        small = np.minimum(n_mine, n_theirs)[pair_codes] < SHARE_MIN_RECORDS
        directions.append(np.where(small, p0, weighed))
        if log is not None:
            # The list pairs with the most expected matches only: each web submission is a list of its own.
            label = [*names, "?"]
            shown = [k for k in np.argsort(-(pi * n_mine), kind="stable") if pi[k] >= 0.01]
            shares = ", ".join(f"{label[pair_keys[k] // codes]}->{label[pair_keys[k] % codes]} {pi[k]:.2g}"
                               for k in shown[:20])  # fmt: skip
            more = f" and {len(shown) - 20} more" if len(shown) > 20 else ""
            log.append(f"share of each list's records with a match on another (one-to-one): {shares}{more}")
    probability = frame["match_probability"].to_numpy(dtype=float).copy()
    probability[across] = np.clip(np.sqrt(directions[0] * directions[1]), 1e-15, 1 - 1e-15)
    weight = frame["match_weight"].to_numpy(dtype=float).copy()
    weight[across] = np.log2(probability[across] / (1 - probability[across]))
    out = frame.copy()
    out["match_probability"] = probability
    out["match_weight"] = weight
    return out


# Two records of one list at least this likely one person are one place in one_to_one's competition.
DUPLICATE_MIN_PROBABILITY = 0.5


@dataclass(frozen=True)
class _Duplicates:
    """Records of one list that are one person: each record in a duplicate pair and its group."""

    index: Any  # pandas Index of the records in some duplicate pair
    group: Any  # numpy array: each of those records' group (connected components)

    def of(self, ids: Any) -> Any:
        """A whole number for each id, the same for two ids exactly when they are one record or
        duplicates: a record in no duplicate pair has a number of its own."""
        import numpy as np
        import pandas as pd

        position = self.index.get_indexer(ids)
        alone = len(self.group) + pd.factorize(ids)[0]
        return np.where(position >= 0, self.group[position.clip(min=0)] if len(self.group) else 0, alone)


def _duplicates_within_lists(frame: Any, same_list: Any) -> _Duplicates:
    """The duplicates within lists: records joined, directly or through others, by pairs of one list
    at DUPLICATE_MIN_PROBABILITY or more."""
    import numpy as np
    import pandas as pd
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    kept = same_list & (frame["match_probability"].to_numpy() >= DUPLICATE_MIN_PROBABILITY)
    a, b = frame["unique_id_l"].to_numpy()[kept], frame["unique_id_r"].to_numpy()[kept]
    codes, ids = pd.factorize(np.concatenate([a, b]))
    graph = coo_matrix((np.ones(len(a)), (codes[: len(a)], codes[len(a) :])), shape=(len(ids), len(ids)))
    _, group = connected_components(graph, directed=False)
    return _Duplicates(pd.Index(ids), group)


def _with_neighbours(
    pairwise: Any,
    assigned: Any,
    sources: Mapping[Any, Any],
    rows: Mapping[Any, int] | Sequence[int],
    prior: float,
    lists: PairLists,
    window: int,
    log: list[str],
) -> tuple[Any, NeighbourEvidence]:
    """The pairs scored again with their neighbours' evidence: the Bayes factor of the narrowest band
    of rows (within `window`) in which a neighbouring pair matches, or of none (learned with the
    one-to-one probabilities as the starting posterior), joins each pair's own evidence, and the
    records' candidates compete again (`one_to_one`)."""
    import numpy as np

    left, right = lists.records_of(assigned["unique_id_l"]), lists.records_of(assigned["unique_id_r"])
    probability = assigned["match_probability"].to_numpy(dtype=float)
    own = pairwise["match_probability"].to_numpy(dtype=float)
    known = (left >= 0) & (right >= 0) & (np.maximum(probability, own) >= MIN_PAIR_PROBABILITY)
    row_of = record_rows(lists.index, rows)
    bands = bands_for(window)
    level, eligible = support_levels(left[known], right[known], probability[known], lists.record_codes, row_of, bands)
    factors_known, evidence = neighbour_bayes_factors(
        probability[known], level, eligible, lists.left[known], lists.right[known], lists.names, bands
    )
    factors = np.ones(len(assigned))
    factors[known] = factors_known
    adjusted = pairwise.copy()
    weight = adjusted["match_weight"].to_numpy(dtype=float) + np.log2(factors)
    adjusted["match_weight"] = weight
    adjusted["match_probability"] = 1 / (1 + np.exp2(-np.clip(weight, -60, 60)))
    shown = evidence.to_dict()
    log.append(
        f"neighbouring rows (within {' / '.join(map(str, bands))}): {evidence.supported} of {evidence.pairs} pairs "
        "across lists have a neighbouring pair that matches; bits pooled "
        + " / ".join(f"{level['weight']:+.1f}" for level in shown["levels"])
        + "; by lists: "
        + "; ".join(
            f"{'-'.join(e['lists'])} " + " / ".join(f"{w:+.1f}" for w in e["weights"])
            for e in sorted(shown["by_lists"], key=lambda e: -e["pairs"])[:10]
        )
    )
    return one_to_one(adjusted, sources, prior, log, lists=lists), evidence


def _assigned(
    pairwise: Any,
    sources: Mapping[Any, Any],
    prior: float,
    lists: PairLists | None,
    rows: Mapping[Any, int] | Sequence[int] | None,
    window: int,
    log: list[str],
) -> tuple[Any, NeighbourEvidence | None]:
    """Pairs scored on their own evidence, weighed against the other candidates on each list
    (`one_to_one`) and, where the lists' row order is known, with their neighbours' evidence."""
    if rows is None or window <= 0 or lists is None:
        return one_to_one(pairwise, sources, prior, log, lists=lists), None
    assigned = one_to_one(pairwise, sources, prior, None, lists=lists)
    return _with_neighbours(pairwise, assigned, sources, rows, prior, lists, window, log)


def comparison_levels(pairs: Any, features: Any, comparison: Comparison) -> Any:
    """Each pair's level of `comparison` (its index in comparison.levels), by the levels' own SQL over
    the pairs joined to the feature table in an in-process DuckDB: what Splink computed when it scored
    them and does not keep (keeping every comparison's levels for the 12.7M pairs scored at a million
    records would hold about 0.4 GB more, and only the pairs kept after the prior need them)."""
    import duckdb
    import numpy as np
    import pandas as pd

    if not len(pairs):
        return np.zeros(0, dtype=np.int64)
    cases = " ".join(
        f"WHEN {level.sql} THEN {index}" for index, level in enumerate(comparison.levels) if level.sql != "ELSE"
    )
    columns = [column for column in features.columns if column != "unique_id"]
    sides = ", ".join(f'{side}."{column}" AS "{column}_{side}"' for column in columns for side in ("l", "r"))
    ids = pd.DataFrame(
        {"position": np.arange(len(pairs)), "id_l": pairs["unique_id_l"].to_numpy(), "id_r": pairs["unique_id_r"].to_numpy()}
    )
    with duckdb.connect() as connection:
        connection.register("pairs", ids)
        connection.register("features", features)
        found = connection.execute(
            f"SELECT position, CASE {cases} ELSE {len(comparison.levels) - 1} END AS level FROM ("  # noqa: S608
            f"SELECT p.position, {sides} FROM pairs p JOIN features l ON p.id_l = l.unique_id "
            "JOIN features r ON p.id_r = r.unique_id) ORDER BY position"
        ).fetchnumpy()
    if len(found["position"]) != len(pairs):
        raise ValueError("a scored pair names a record the feature table does not have")
    return np.asarray(found["level"], dtype=np.int64)


def learn_loose_birth_m(
    birth: Comparison, levels: Any, probability: Any, across: Any, fixed: Sequence[float]
) -> tuple[float, ...]:
    """The birth comparison's m (one per non-null level) with its loose levels (LOOSE_BIRTH_LEVELS)
    learned from scored pairs: each loose level's m is its share of the matches that the pairs across
    lists are expected to hold (their probabilities summed by level: one M step of EM), never below
    its fixed m; the other levels keep their fixed proportions of what is left.

    Why these levels and not the rest: how loosely ages are guessed is the desk's habit (a volunteer's
    "55-60" one bracket off, an age rounded to five), and the scenario generators disagree on it where
    they agree on the rest. Of the matches (truth) of two independently written generators, 16% (gen4)
    and 6% (gen3) fall "within two years", against the fixed 3.5% (from the demo and the variant,
    1-2%): gen4's matches there weighed -0.4 bits. Learning every level of the comparison this way
    instead raised gen4 as much and cost the demo and the variant 0.003 of F1: the M step moves the
    mass of levels a scenario never meets (two full dates, on the demo) to the age levels, and namesakes
    whose ages agree gain with the matches (docs/linkage.md)."""
    import numpy as np

    non_null = _non_null(birth)
    code = np.full(len(birth.levels), -1)
    code[non_null] = np.arange(len(non_null))
    coded = code[levels]
    seen = across & (coded >= 0)
    expected = np.bincount(coded[seen], weights=probability[seen], minlength=len(non_null))
    m = np.array(fixed, dtype=float)
    if expected.sum() <= 0:
        return tuple(m.tolist())
    loose = np.array([birth.levels[index].label in LOOSE_BIRTH_LEVELS for index in non_null])
    m[loose] = np.maximum(expected[loose] / expected.sum(), m[loose])
    m[~loose] *= (1 - m[loose].sum()) / m[~loose].sum()
    return tuple(m.tolist())


def _with_loose_birth_learned(
    pairwise: Any,
    assigned: Any,
    features: Any,
    birth: Comparison,
    lists: PairLists,
    trained: dict[str, Any],
    log: list[str],
) -> Any:
    """The pairs' own evidence with the birth comparison's loose levels learned from the `assigned`
    probabilities (after one_to_one), starting from the m the pairs were scored with (BIRTH_M in the
    standard model); the model keeps the learned m, so that one new record is scored with it too."""
    import numpy as np

    levels = comparison_levels(pairwise, features, birth)
    probability = assigned["match_probability"].to_numpy(dtype=float)
    scored = m_probabilities(trained, "birth")
    learned = learn_loose_birth_m(birth, levels, probability, lists.left != lists.right, scored)
    bits = np.zeros(len(birth.levels))
    non_null = _non_null(birth)
    bits[non_null] = np.log2(np.asarray(learned) / np.asarray(scored))
    set_m_probabilities(trained, "birth", learned)
    shown = [f"{birth.levels[i].label} {m:.3g}" for i, m in zip(non_null, learned, strict=True)
             if birth.levels[i].label in LOOSE_BIRTH_LEVELS]  # fmt: skip
    log.append("m of birth's loose levels learned from the scored pairs: " + ", ".join(shown))
    out = pairwise.copy()
    weight = out["match_weight"].to_numpy(dtype=float) + bits[levels]
    out["match_weight"] = weight
    out["match_probability"] = 1 / (1 + np.exp2(-np.clip(weight, -60, 60)))
    return out


def _same_list(frame: Any, sources: Mapping[Any, Any]) -> Any:
    """For each scored pair, whether both records came from the same list (a record with no list counts as
    the same "no list" as another without one)."""
    lists = pair_lists(frame, sources)
    return lists.left == lists.right


def rescore(frame: Any, old_prior: float, new_prior: float) -> Any:
    """Scored pairs with the prior replaced: weights shift by the difference in prior log-odds."""
    import numpy as np

    out = frame.copy()
    out["match_weight"] = out["match_weight"] - _logit2(old_prior) + _logit2(new_prior)
    out["match_probability"] = 1 / (1 + np.exp2(-out["match_weight"].clip(-60, 60)))
    return out


def settings_for(
    comparisons: Sequence[Comparison],
    blocking_rules: Sequence[BlockingRule],
    link_type: str = "dedupe_only",
    fixed_m: Mapping[str, Sequence[float]] | None = None,
) -> dict[str, Any]:
    """Splink settings; a comparison in `fixed_m` enters training with those m probabilities
    (one per non-null level), which EM uses and leaves alone."""
    specs = {"comparisons": [c.to_splink() for c in comparisons]}
    for name, values in (fixed_m or {}).items():
        set_m_probabilities(specs, name, values, fix=True)
    return {
        "link_type": link_type,
        "unique_id_column_name": "unique_id",
        "comparisons": specs["comparisons"],
        "blocking_rules_to_generate_predictions": [{"blocking_rule": r.sql} for r in blocking_rules],
        "retain_matching_columns": False,
        "retain_intermediate_calculation_columns": False,
        "max_iterations": 20,
        "em_convergence": 0.001,
    }


def _db_api(engine: str, spark: Any = None) -> Any:
    if engine == "duckdb":
        from splink import DuckDBAPI

        from rollcall_core.linkage.engines import duckdb_connection

        return DuckDBAPI(connection=duckdb_connection())
    if engine == "spark":
        from rollcall_core.linkage.engines import spark_api

        if spark is None:
            spark = local_spark_session()
        return spark_api(spark)
    raise ValueError(f"unknown engine {engine!r}: use duckdb or spark")


def local_spark_session(cores: int = 2) -> Any:
    """A local pyspark session with Splink's similarity UDF jar (for tests and one machine)."""
    from rollcall_core.linkage.engines import local_spark_session as session

    return session(cores)


_PAIR_COLUMNS = ("unique_id_l", "unique_id_r", "match_weight", "match_probability")


def _scored_pairs(predicted: Any, db_api: Any, engine: str) -> Any:
    """The scored pairs Splink predicted, as a pandas DataFrame of _PAIR_COLUMNS. From DuckDB
    they come as numpy arrays: Splink's as_pandas_dataframe took 2 s more for the 12.7M pairs of
    a million records."""
    import pandas as pd

    if engine != "duckdb":
        return predicted.as_pandas_dataframe()[list(_PAIR_COLUMNS)]
    arrays = db_api.duckdb_con.execute(
        f"SELECT {', '.join(_PAIR_COLUMNS)} FROM {predicted.physical_name}"  # noqa: S608 - Splink's name
    ).fetchnumpy()
    return pd.DataFrame({column: arrays[column] for column in _PAIR_COLUMNS})


def train_and_predict(
    features: Any,
    *,
    comparisons: Sequence[Comparison] | None = None,
    blocking_rules: Sequence[BlockingRule] = STANDARD_BLOCKING_RULES,
    blocking_window: int = DEFAULT_WINDOW,
    training_blocks: Sequence[str] = STANDARD_TRAINING_BLOCKS,
    deterministic_rules: Sequence[str] = STANDARD_DETERMINISTIC_RULES,
    deterministic_recall: float = 0.6,
    u_max_pairs: float = 1e6,
    floor: float = 0.01,
    engine: str = "duckdb",
    spark: Any = None,
    seed: int = 42,
    m_floor: float = 0.005,
    fixed_m: Mapping[str, Sequence[float]] | None = None,
    link_type: str = "dedupe_only",
    em_max_pairs: float = 2e6,
    re_estimate_prior: bool = True,
    sources: Mapping[Any, Any] | None = None,
    assign_one_to_one: bool = True,
    rows: Mapping[Any, int] | Sequence[int] | None = None,
    neighbour_rows: int = NEIGHBOUR_ROWS,
) -> LinkageResult:
    """Train a Fellegi-Sunter model on the feature table (a pandas DataFrame) and score blocked pairs.

    `features` may be a list of tables with link_type "link_only" (two lists, no duplicates within).

    The prior comes from deterministic rules on the normalised forms, with their recall set
    below 1 because exact agreement is rarer across scripts than within one; u from random
    pairs; m by EM on each training block in turn (a block leaves its own columns untrained).
    """
    from splink import Linker

    standard = comparisons is None
    if comparisons is None:
        comparisons = standard_comparisons()
        fixed_m = {"birth": BIRTH_M} if fixed_m is None else fixed_m
    comparisons = tuple(comparisons)
    # The standard model trains the same home place as one level and predicts with it split by
    # the place's share (split_place_by_share).
    final = comparisons
    place_at = next((i for i, c in enumerate(comparisons) if c.name == "place"), -1)
    if standard and place_at >= 0:
        comparisons = (*comparisons[:place_at], place_comparison(split_by_share=False), *comparisons[place_at + 1 :])
    log: list[str] = []
    logging.getLogger("splink").setLevel(logging.ERROR)
    db_api = _db_api(engine, spark)
    features, shares = with_place_shares(features)
    tables = (
        [db_api.register(f) for f in features] if isinstance(features, list) else db_api.register(features)
    )
    # Set m probabilities enter EM fixed, so that the other comparisons are learned against them.
    # Measured (core, threshold 0.4, pairwise F1, 2026-12-02; learned by EM and overwritten after,
    # before): demo 2,000 people 0.949 either way, 20,000 0.830 -> 0.838; variant 5,000 0.934 either
    # way, 20,000 0.858 -> 0.860.
    settings = settings_for(comparisons, blocking_rules, link_type, fixed_m)
    if engine == "spark":
        from rollcall_core.linkage.engines import spark_settings

        settings = spark_settings(settings)  # the conditions are written for DuckDB
    linker = Linker(tables, settings, log_level=None)
    # The first prior is a share of pairs, so on a large table a sample of records estimates it as
    # well (Splink counts the rule's pairs over whole blocks: 7 of the 50 s of a million records). On
    # DuckDB the sample has a connection of its own, closed after: nothing it held stays through prediction.
    sampled = _rows_if_pandas(features) > PRIOR_SAMPLE_RECORDS
    sample_api = _db_api(engine) if sampled and engine == "duckdb" else db_api
    counter = (
        Linker(
            sample_api.register(features.sample(n=PRIOR_SAMPLE_RECORDS, random_state=seed)),
            settings,
            log_level=None,
        )
        if sampled
        else linker
    )
    try:
        counter.training.estimate_probability_two_random_records_match(
            list(deterministic_rules), recall=deterministic_recall
        )
        if sampled:
            first_prior = counter.misc.save_model_to_json()["probability_two_random_records_match"]
            linker = Linker(
                tables, {**settings, "probability_two_random_records_match": first_prior}, log_level=None
            )
            log.append(f"first prior from a sample of {PRIOR_SAMPLE_RECORDS} records")
    except Exception as error:  # noqa: BLE001 - a tiny table or a sample may have no deterministic matches
        log.append(f"prior left at its default: {error}")
    finally:
        if sample_api is not db_api:
            sample_api.duckdb_con.close()
    linker.training.estimate_u_using_random_sampling(max_pairs=u_max_pairs, seed=seed)
    for block in training_blocks:
        # Splink takes the block's own comparisons out of the model while it trains on the block and
        # does not put them back when EM fails part-way (an m that underflows on a small table):
        # the model as it was before the block is restored instead.
        before = linker.misc.save_model_to_json()
        try:
            # Sampled to at most em_max_pairs blocked pairs, without term frequencies: EM time
            # then stays flat as the table grows, and m estimates do not need every pair.
            linker.training.estimate_parameters_using_expectation_maximisation(
                block, estimate_without_term_frequencies=True, max_pairs=em_max_pairs
            )
            log.append(f"EM trained on block: {block}")
        except Exception as error:  # noqa: BLE001 - a block with no pairs trains nothing; others still do
            log.append(f"EM skipped block {block}: {error}")
            linker = Linker(tables, before, log_level=None)
    trained = linker.misc.save_model_to_json()
    unseen = unseen_levels(trained, m_floor)
    trained = clamp_m_probabilities(trained, m_floor)
    trained = floor_u_probabilities(trained, 1.0 / max(u_max_pairs, 1.0))
    for name, label in weigh_nothing(trained, unseen):
        log.append(f"{name} '{label}': seen neither by EM nor in the random sample, so it weighs nothing")
    for name, values in (fixed_m or {}).items():
        # Again after the floor, which renormalised them with the rest.
        set_m_probabilities(trained, name, values)
        log.append(f"m of {name} set, not learned: {', '.join(f'{v:g}' for v in values)}")
    initials = None if isinstance(features, list) else _column(features, "given_initial")
    if standard and initials is not None:
        m_initial = set_initial_m(trained, initials)
        if m_initial is not None:
            log.append(
                f"m of given 'only an initial, and it agrees' from its u and the initials' spread: {m_initial:.3g}"
            )
    if standard:
        m_event = set_event_place_m(trained)
        if m_event is not None:
            log.append(f"m of place 'the event happened at the other's home place' from its u: {m_event:.3g}")
        from rollcall_core.linkage.engines import spark_sql

        dialect = spark_sql if engine == "spark" else str
        bands = split_place_by_share(trained, shares, final[place_at], dialect) if place_at >= 0 else None
        if bands is not None:
            log.append("the same home place split by the places' shares (m / u): "
                       + ", ".join(f"{label} {m:.3g} / {u:.3g}" for label, (m, u) in bands.items()))  # fmt: skip
    # Predict with the clamped model: a fresh linker on the same registered table.
    linker = Linker(tables, trained, log_level=None)
    first = float(trained["probability_two_random_records_match"])
    log.append(f"prior from deterministic rules on normalised forms (EM's starting point): {first:.3g}")
    cut = min(_logit2(first) + PRIOR_SCAN_BITS, _logit2(min(max(floor, 1e-9), 0.5)))
    if engine == "duckdb" and link_type == "dedupe_only" and not isinstance(features, list):
        from rollcall_core.linkage.engines import register_blocked_pairs

        # Splink's own blocking without its row-by-row exclusions, a large block paired between neighbours.
        blocked = register_blocked_pairs(linker, db_api, tables, blocking_rules, blocking_window)
        log.append(f"blocked pairs scored: {blocked}")
    frame = _scored_pairs(linker.inference.predict(threshold_match_weight=cut), db_api, engine)
    if engine == "duckdb":
        # Everything DuckDB held (features, blocked pairs, its buffer pool, up to its memory limit) is
        # released before the scored pairs are worked on in numpy: at a million records the two
        # together went past 4 GB.
        db_api.duckdb_con.close()
    within: float | None = None
    each: dict[Any, float] = {}
    neighbours: NeighbourEvidence | None = None
    if re_estimate_prior and len(frame):
        frame, prior, within, each, lists = _re_estimate_prior(
            frame, first, features, link_type, sources, log
        )
        trained["probability_two_random_records_match"] = prior
        # Pairs below the floor that nothing after this touches (one_to_one leaves pairs below
        # ONE_TO_ONE_MIN_PROBABILITY alone) go now: at a million demo records they are 12.5M of the
        # 12.7M scored pairs, and each copy of them below cost 0.4 GB.
        kept = frame["match_probability"].to_numpy() >= min(floor, ONE_TO_ONE_MIN_PROBABILITY)
        if not kept.all():
            frame = frame[kept].reset_index(drop=True)
            lists = lists.of_pairs(kept) if lists is not None else None
        if sources is not None and assign_one_to_one:
            pairwise = frame
            birth = next((c for c in final if c.name == "birth"), None) if standard else None
            if birth is not None and lists is not None and len(frame):
                # The posterior the M step reads is one_to_one's alone: with the neighbouring rows too,
                # the same figures (gen4 0.8744 / 0.8745, gen3 0.9126 / 0.9127) for 3-4 s more at a million.
                first = one_to_one(pairwise, sources, prior, None, lists=lists)
                pairwise = _with_loose_birth_learned(pairwise, first, features, birth, lists, trained, log)
            frame, neighbours = _assigned(pairwise, sources, prior, lists, rows, neighbour_rows, log)
    frame = frame[frame["match_probability"] >= floor].reset_index(drop=True)
    return LinkageResult(
        pairs=frame,
        model=ModelWeights.from_splink(
            trained, final, log, prior_within=within, prior_within_list=each,
            neighbours=neighbours.to_dict() if neighbours is not None else None, place_shares=shares,
        ),
        engine=engine,
    )
