"""`rollcall estimate`: capture-history tables from the registry or a file, estimated by the core.

One function, `estimate_strata`, builds the tables (per stratum and in total) and runs the
methods; the command, the analyst page's background task and the situation report all use it,
so the numbers a journalist reads are the ones the analyst saw.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import sys
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from rollcall.registry.models import Person, PlaceName, Record
from rollcall_core.estimation import (
    DEFAULT_METHOD,
    METHODS,
    CaptureTable,
    EstimationError,
    EstimationResult,
    default_method,
    estimate,
)

STRATA_FIELDS = ("home_place", "sex", "age_band", "category", "status_date")
# A date stratum is a window, not a day: a day holds too few people to estimate, and a death dated
# the 19th on one list and the 20th on another is the same death.
WINDOWS = ("week", "month")
UNKNOWN_DATE = "unknown date"
TOTAL = "all"  # the stratum name of the whole table, with or without --by
MIN_LISTS = 3
CONTRACT_KEYS = ("method", "observed", "estimate", "lower", "upper", "model", "lists")


class EstimateFailed(Exception):
    """A refusal with its reason; the command prints it as its one line on stderr and exits non-zero."""


@dataclass(frozen=True)
class Stratum:
    """One stratum's table: only the lists that record someone in it (`absent` those that record no one)."""

    name: str
    table: CaptureTable
    absent: tuple[str, ...] = ()


# Progress of a whole run: (fraction done from 0 to 1, what is running now, e.g. "lcmcr, stratum 3 of 12").
RunProgress = Callable[[float, str], None]


def _age_band(person: Person) -> str:
    age = person.estimated_age()
    if age is None:
        return "unknown age"
    low = (age // 15) * 15
    return f"{low}-{low + 14}"


def place_names() -> dict[str, str]:
    """Every gazetteer name (folded) to its place's English name, when the name fits exactly one place."""
    found: dict[str, set[str]] = defaultdict(set)
    for folded, name in PlaceName.objects.values_list("folded", "place__name_en"):
        found[folded].add(name)
    return {folded: next(iter(names)) for folded, names in found.items() if len(names) == 1}


def date_window(text: str, window: str = "week") -> str | None:
    """The window a recorded date falls in: the ISO week (Monday to Sunday, named by its days, so that
    names sort in time) or the month; None for a date that does not name its day (or, for months, its
    month)."""
    text = text.strip()[:10]
    try:
        day = date.fromisoformat(text)
    except ValueError:
        if window == "month" and re.fullmatch(r"\d{4}-\d{2}", text[:7]) and 1 <= int(text[5:7]) <= 12:
            return text[:7]
        return None
    if window == "month":
        return day.strftime("%Y-%m")
    monday = day - timedelta(days=day.weekday())
    return f"{monday.isoformat()} to {(monday + timedelta(days=6)).isoformat()}"


def _stratum(
    person: Person, records: Iterable[Record], by: str, places: dict[str, str], window: str = "week"
) -> str:
    if by == "home_place":
        # Stepanakert, Степанакерт and Ստեփանակերտ are one stratum: the gazetteer names the place.
        texts = [r.home_place.strip() for r in records if r.home_place.strip()]
        resolved = Counter(places.get(t.casefold(), t) for t in texts)
        return resolved.most_common(1)[0][0] if resolved else "unknown"
    if by == "age_band":
        return _age_band(person)
    if by == "sex":
        return person.sex or "unknown"
    if by == "status_date":
        # The earliest date any record gives, in its window; records without a full date say nothing.
        windows = sorted(w for w in (date_window(r.status_date, window) for r in records if r.status_date) if w)
        return windows[0] if windows else UNKNOWN_DATE
    values = Counter(getattr(r, by) for r in records if getattr(r, by))
    return values.most_common(1)[0][0] if values else "unknown"


def _table(rows: list[frozenset[str]], lists: list[str], name: str) -> Stratum:
    # A list that records no one in a stratum (a hospital in another district) says nothing
    # about who was missed there: it is left out of that stratum's table, and named.
    present = [n for n in lists if any(n in on for on in rows)]
    counts = Counter(tuple(int(n in on) for n in present) for on in rows)
    absent = tuple(n for n in lists if n not in present)
    return Stratum(name, CaptureTable.from_patterns(lists=present, counts=dict(counts)), absent)


def capture_strata(status: str, by: str | None, window: str = "week") -> list[Stratum]:
    """The total first, then one stratum per value of `by`: which lists (sources) each person is on.
    With ``by="status_date"`` a stratum is a ``window`` of dates (a week or a month)."""
    if by is not None and by not in STRATA_FIELDS:
        raise EstimateFailed(f"--by {by!r}: use one of {', '.join(STRATA_FIELDS)}")
    if window not in WINDOWS:
        raise EstimateFailed(f"--window {window!r}: use one of {', '.join(WINDOWS)}")
    persons = Person.objects.filter(status=status).prefetch_related("records__source")
    places = place_names() if by == "home_place" else {}
    lists: set[str] = set()
    everyone: list[frozenset[str]] = []
    memberships: dict[str, list[frozenset[str]]] = defaultdict(list)
    for person in persons.iterator(chunk_size=2000):
        records = list(person.records.all())
        on = frozenset(r.source.name for r in records)
        if not on:
            continue
        lists |= on
        everyone.append(on)
        if by:
            memberships[_stratum(person, records, by, places, window)].append(on)
    if not everyone:
        raise EstimateFailed(f"no persons with status {status!r} in the registry")
    ordered = sorted(lists)
    strata = [_table(everyone, ordered, TOTAL)]
    strata += [_table(rows, ordered, name) for name, rows in sorted(memberships.items())]
    return strata


def capture_tables(status: str, by: str | None, window: str = "week") -> dict[str, CaptureTable]:
    """Tables by stratum name (the total under 'all'); kept for callers that want tables only."""
    return {s.name: s.table for s in capture_strata(status, by, window)}


def refusal(stratum: Stratum) -> str | None:
    """Why a stratum cannot be estimated before any method runs, or None."""
    lists = stratum.table.lists
    if len(lists) < MIN_LISTS:
        named = ", ".join(lists) if lists else "none"
        return (
            f"only {len(lists)} list(s) record anyone here ({named}): "
            f"at least {MIN_LISTS} overlapping lists are needed to estimate who they all missed"
        )
    return None


def methods_for(method: str) -> list[str]:
    """The methods a request runs; "default" stays one name, resolved per table by the core
    (log-linear for 3 to 5 lists, LCMCR for more), so each stratum gets the method that fits it."""
    if method == "all":
        return list(METHODS)
    if method == "default":
        return [DEFAULT_METHOD]
    if method not in METHODS:
        raise EstimateFailed(f"method {method!r}: use one of {', '.join(METHODS)} or all")
    return [method]


def result_entry(result: EstimationResult) -> dict[str, Any]:
    """The result as JSON: the contract's keys first, then the rest; arrays (draws, posteriors) as summaries."""
    data = result.to_dict()
    profile = data.get("profile") or {}
    data["profile"] = {k: v for k, v in profile.items() if not isinstance(v, list)} or None
    return {
        **{k: data[k] for k in CONTRACT_KEYS},
        **{k: v for k, v in data.items() if k not in CONTRACT_KEYS},
    }


def inconsistency(result: EstimationResult) -> str | None:
    """A result that contradicts itself is refused, never shown as if valid. The reason carries no
    figure (it may reach the public report); the figures stay under `withheld` for analysts."""
    est, low, high = result.estimate, result.lower, result.upper
    if not math.isfinite(est):
        return "the method gave no finite estimate: the table is too sparse for it"
    if est < result.observed - 1e-6:
        return "the method's estimate is below the number of people documented: not reported"
    if math.isfinite(low) and math.isfinite(high) and not low - 0.5 <= est <= high + 0.5:
        return "the method's estimate lies outside its own interval: not reported until this is explained"
    return None


def refused_entry(method: str, stratum: Stratum, reason: str) -> dict[str, Any]:
    """A refusal has the contract's keys too (no numbers), so a script reading the array never trips on it."""
    table = stratum.table
    return {"method": method, "observed": table.observed, "estimate": None, "lower": None, "upper": None,
            "model": None, "lists": list(table.lists), "error": reason}  # fmt: skip


def estimate_strata(
    strata: list[Stratum],
    method: str,
    *,
    seed: int = 1,
    progress: RunProgress | None = None,
    lcmcr_options: dict[str, Any] | None = None,
) -> list[dict[str, Any]]:
    """Every stratum with its capture patterns and, per method, a result or the reason it was refused.

    ``lcmcr_options`` (chains, burn_in, draws, thinning, split_merge, replicas, coldest) go to the
    sampler wherever LCMCR runs, asked for or chosen by the default."""
    methods = methods_for(method)
    steps = len(strata) * len(methods)
    out = []
    for index, stratum in enumerate(strata):
        table = stratum.table
        before = refusal(stratum)
        entries = []
        for m, requested in enumerate(methods):
            # A refusal names the method the default stands for at this table, as a result does.
            name = default_method(table)[0] if requested == DEFAULT_METHOD else requested
            if before:
                entries.append(refused_entry(name, stratum, before))
                continue
            stage = f"{name}, stratum {index + 1} of {len(strata)}"
            start = index * len(methods) + m

            def step(done: int, total: int, _start: int = start, _stage: str = stage) -> None:
                if progress and total > 0:
                    progress((_start + min(done / total, 1.0)) / steps, _stage)

            step(0, 1)  # say which method is running now, before its first report (dga reports only at the end)
            try:
                options = (lcmcr_options or {}) if name == "lcmcr" else {}
                result = estimate(table, method=requested, seed=seed, progress=step, **options)
                problem = inconsistency(result)
                if problem:
                    entries.append(
                        {**refused_entry(name, stratum, problem), "withheld": result_entry(result)}
                    )
                else:
                    entries.append(result_entry(result))
            except EstimationError as error:
                entries.append(refused_entry(name, stratum, str(error)))
        if progress:
            progress((index + 1) / len(strata), f"stratum {index + 1} of {len(strata)} done")
        out.append(
            {
                "stratum": stratum.name,
                "observed": table.observed,
                "lists": list(table.lists),
                "absent": list(stratum.absent),
                "list_totals": table.list_totals(),
                "patterns": [
                    {"pattern": "".join(map(str, p)), "count": c}
                    for p, c in sorted(table.counts.items(), key=lambda item: (-item[1], item[0]))
                ],
                "results": entries,
            }
        )
    return out


def _cli_progress(strata: int, method: str) -> RunProgress:
    """One bar for the whole run (every stratum and method), on stderr."""
    from rollcall.progress import ProgressBar

    label = f"estimating ({method})" if strata == 1 else f"estimating {strata} strata ({method})"
    bar = ProgressBar(label)
    return lambda fraction, stage: bar(int(fraction * 1000), 1000)


def _number(value: float | None) -> str:
    return "unbounded" if value is None else f"{value:.1f}"


# The sampler settings the command line can set, by option name; unset ones keep the core's defaults.
LCMCR_FLAGS = ("chains", "burn_in", "draws", "thinning", "split_merge", "replicas", "coldest")


def lcmcr_options(args: argparse.Namespace) -> dict[str, Any]:
    options = {name: getattr(args, name, None) for name in LCMCR_FLAGS}
    if options["coldest"] is not None and (options["replicas"] or 1) < 2:
        raise EstimateFailed("--coldest goes with --replicas 2 or more (the tempering ladder runs down to it)")
    return {name: value for name, value in options.items() if value is not None}


def run_estimate(args: argparse.Namespace) -> int:
    if args.table and args.by:
        raise EstimateFailed("--by works with --status; a --table is already one stratum")
    window = getattr(args, "window", None)
    if window and args.by != "status_date":
        raise EstimateFailed("--window goes with --by status_date")
    try:
        if args.table:
            path = Path(args.table)
            if not path.is_file():
                raise EstimateFailed(f"--table {args.table}: no such file")
            strata = [Stratum(TOTAL, CaptureTable.from_csv(path))]
        else:
            strata = capture_strata(args.status, args.by, window or "week")
        computed = estimate_strata(
            strata, args.method, seed=args.seed, progress=_cli_progress(len(strata), args.method),
            lcmcr_options=lcmcr_options(args),
        )  # fmt: skip
    except EstimationError as error:
        raise EstimateFailed(str(error)) from error

    output: list[dict[str, Any]] = []
    for stratum in computed:
        for entry in stratum["results"]:
            if args.by:
                entry = {**entry, "stratum": stratum["stratum"]}
            output.append(entry)
    if all("error" in entry for entry in output):
        prefix = "" if len(computed) == 1 else "no stratum could be estimated: "
        reasons = "; ".join(
            (f"[{e['stratum']}] " if "stratum" in e else "") + f"{e['method']}: {e['error']}" for e in output
        )
        raise EstimateFailed(prefix + reasons)
    if args.json:
        # DESIGN.md: one object for one result; an array with --method all (and with --by, one per stratum).
        single = len(output) == 1 and args.method != "all" and not args.by
        print(json.dumps(output[0] if single else output, ensure_ascii=False, indent=2))
        return 0
    for entry in output:
        prefix = f"[{entry['stratum']}] " if "stratum" in entry else ""
        if "error" in entry:
            print(
                f"{prefix}{entry['method']}: not estimable ({entry['observed']} observed): {entry['error']}"
            )
            continue
        print(
            f"{prefix}{entry['method']}: observed {entry['observed']}, estimate {_number(entry['estimate'])} "
            f"({entry['level']:.0%} interval {_number(entry['lower'])}-{_number(entry['upper'])}), model {entry['model']}"
        )
        chosen = (entry.get("details") or {}).get("chosen_because")
        if chosen:
            # The default chose a method other than the one it usually means: say so beside the figures.
            print(f"{prefix}  default method: {chosen}")
        for warning in entry.get("warnings") or []:
            print(f"{prefix}  warning: {warning}", file=sys.stderr)
    return 0
