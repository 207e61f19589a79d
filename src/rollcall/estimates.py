"""`rollcall estimate`: capture-history tables from the registry or a file, estimated by the core."""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter, defaultdict
from collections.abc import Iterable
from pathlib import Path

from rollcall.registry.models import Person, Record
from rollcall_core.estimation import (
    DEFAULT_METHOD,
    METHODS,
    CaptureTable,
    EstimationError,
    EstimationResult,
    estimate,
)

STRATA_FIELDS = ("home_place", "sex", "age_band", "category", "status_date")


class EstimateFailed(Exception):
    pass


def _age_band(person: Person) -> str:
    age = person.estimated_age()
    if age is None:
        return "unknown age"
    low = (age // 15) * 15
    return f"{low}-{low + 14}"


def _stratum(person: Person, records: Iterable[Record], by: str) -> str:
    if by == "age_band":
        return _age_band(person)
    if by == "sex":
        return person.sex or "unknown"
    if by == "status_date":
        dates = sorted(r.status_date[:10] for r in records if r.status_date)
        return dates[0] if dates else "unknown date"
    values = Counter(getattr(r, by) for r in records if getattr(r, by))
    return values.most_common(1)[0][0] if values else "unknown"


def capture_tables(status: str, by: str | None) -> dict[str, CaptureTable]:
    """One table per stratum ('all' without --by): which lists (sources) each person is on."""
    persons = Person.objects.filter(status=status).prefetch_related("records__source")
    lists: set[str] = set()
    memberships: dict[str, list[frozenset[str]]] = defaultdict(list)
    for person in persons.iterator(chunk_size=2000):
        records = list(person.records.all())
        on = frozenset(r.source.name for r in records)
        lists |= on
        memberships[_stratum(person, records, by) if by else "all"].append(on)
    if not memberships:
        raise EstimateFailed(f"no persons with status {status!r} in the registry")
    ordered = sorted(lists)
    tables = {}
    for stratum, rows in sorted(memberships.items()):
        counts = Counter(tuple(int(name in on) for name in ordered) for on in rows)
        tables[stratum] = CaptureTable.from_patterns(lists=ordered, counts=dict(counts))
    return tables


def _run(table: CaptureTable, method: str, seed: int) -> list[EstimationResult | EstimationError]:
    """Each method's result, or its refusal: with --method all one method may refuse a table another can use."""
    from rollcall.progress import ProgressBar

    methods = list(METHODS) if method == "all" else [DEFAULT_METHOD if method == "default" else method]
    outcomes: list[EstimationResult | EstimationError] = []
    for name in methods:
        try:
            outcomes.append(estimate(table, method=name, seed=seed, progress=ProgressBar(f"estimating ({name})")))
        except EstimationError as error:
            outcomes.append(EstimationError(f"{name}: {error}"))
    return outcomes


def run_estimate(args: argparse.Namespace) -> int:
    from rollcall.cli import CommandError

    if args.table and args.by:
        raise CommandError("--by works with --status; a --table is already one stratum")
    if args.by and args.by not in STRATA_FIELDS:
        raise CommandError(f"--by {args.by!r}: use one of {', '.join(STRATA_FIELDS)}")
    try:
        if args.table:
            path = Path(args.table)
            if not path.is_file():
                raise CommandError(f"--table {args.table}: no such file")
            tables = {"all": CaptureTable.from_csv(path)}
        else:
            tables = capture_tables(args.status, args.by)
    except (EstimationError, EstimateFailed) as error:
        raise CommandError(str(error)) from error

    output: list[dict[str, object]] = []
    failures = 0
    for stratum, table in tables.items():
        outcomes = _run(table, args.method, args.seed)
        if all(isinstance(o, EstimationError) for o in outcomes):
            failures += 1
        for outcome in outcomes:
            if isinstance(outcome, EstimationError):
                entry: dict[str, object] = {"stratum": stratum, "observed": table.observed, "error": str(outcome)}
            else:
                entry = outcome.to_dict()
                if args.by:
                    entry["stratum"] = stratum
            output.append(entry)
    if failures == len(tables):
        reasons = "; ".join(str(o["error"]) for o in output)
        raise CommandError(reasons)
    if args.json:
        single = len(output) == 1 and args.method != "all" and not args.by
        print(json.dumps(output[0] if single else output, ensure_ascii=False, indent=2))
        return 0
    for entry in output:
        prefix = f"[{entry['stratum']}] " if "stratum" in entry else ""
        if "error" in entry:
            print(f"{prefix}not estimable ({entry['observed']} observed): {entry['error']}")
            continue
        print(
            f"{prefix}{entry['method']}: observed {entry['observed']}, estimate {float(entry['estimate']):.1f} "  # type: ignore[arg-type]
            f"({entry.get('level', 0.95):.0%} interval {float(entry['lower']):.1f}-{float(entry['upper']):.1f}), model {entry['model']}"  # type: ignore[arg-type]
        )
        for warning in entry.get("warnings", []) or []:  # type: ignore[attr-defined]
            print(f"{prefix}  warning: {warning}", file=sys.stderr)
    return 0
