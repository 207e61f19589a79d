"""Every linkage write: batch link, incremental link, review decisions, merge, split, undo.

Human decisions always win: a "not the same" becomes a cannot-link constraint that no model
run or incremental link overrides; a "same", a merge (and a split's own side) a must-link.
"""

from __future__ import annotations

import gc
import logging
import time
from array import array
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import islice
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import connection, transaction
from django.db.models import Count, Exists, Max, OuterRef
from django.utils import timezone

from rollcall.linkage.models import CandidatePair, Decision, ModelVersion, Notification
from rollcall.registry.audit import audit
from rollcall.registry.models import Note, Person, Place, PlaceName, Record, RetiredPersonId, TracingRequest
from rollcall_core.gazetteer import districts_of
from rollcall_core.linkage.clustering import cluster, split_pairs
from rollcall_core.linkage.features import (
    FEATURE_COLUMNS,
    INTEGER_FEATURES,
    PlaceResolver,
    gazetteer_resolver,
    has_a_name,
    named_rows,
    prepare_columns,
    prepare_record,
)
from rollcall_core.linkage.model import ModelWeights, train_and_predict

log = logging.getLogger(__name__)

FEATURE_FIELDS = (
    "full_name", "given_name", "family_name", "patronymic", "alternate_names", "sex", "age", "birth_date",
    "home_place", "event_place", "status", "status_date",
)  # fmt: skip
# How many pairs below the upper threshold a batch run puts in the review queue at most.
MAX_REVIEW_PAIRS = 5000


class LinkageError(Exception):
    """A linkage request that cannot be done, with a reason for the user."""


def upper_threshold() -> float:
    """At or above: the same person (settings LINKAGE_UPPER_THRESHOLD or ROLLCALL_LINK_UPPER)."""
    return float(settings.LINKAGE_UPPER_THRESHOLD)


def cohesion() -> float:
    """Mean probability two clusters need between all their records to join, a pair counting at its
    probability if it was kept (KEPT_PAIR_FLOOR) and 0 otherwise (LINKAGE_COHESION or
    ROLLCALL_LINK_COHESION; 0 turns it off). See docs/linkage.md."""
    return float(settings.LINKAGE_COHESION)


# Scored pairs below this (or below the lower threshold, if that is set lower) are not kept: they count 0
# in clustering's cohesion and never reach the review queue. Every kept pair counts at its probability
# in cohesion, not only those in the review range: gen4 at 20,000 people +0.0017 (docs/linkage.md).
KEPT_PAIR_FLOOR = 0.05


def block_window() -> int:
    """Neighbours on either side a record is scored against within a block (LINKAGE_BLOCK_WINDOW or
    ROLLCALL_LINK_BLOCK_WINDOW). See docs/linkage.md, "Scale"."""
    window = int(settings.LINKAGE_BLOCK_WINDOW)
    if window < 1:
        raise LinkageError(f"LINKAGE_BLOCK_WINDOW is {window}: it must be at least 1")
    return window


def neighbour_rows() -> int:
    """Rows either side of a record on its list that count as its neighbours (LINKAGE_NEIGHBOUR_ROWS or
    ROLLCALL_LINK_NEIGHBOUR_ROWS; 0: not used). See docs/linkage.md, "Neighbouring rows"."""
    rows = int(settings.LINKAGE_NEIGHBOUR_ROWS)
    if rows < 0:
        raise LinkageError(f"LINKAGE_NEIGHBOUR_ROWS is {rows}: it must be 0 (off) or more")
    return rows


def lower_threshold() -> float:
    """Between lower and upper: a reviewer decides (LINKAGE_LOWER_THRESHOLD or ROLLCALL_LINK_LOWER)."""
    return float(settings.LINKAGE_LOWER_THRESHOLD)


# ----------------------------------------------------------------------------- features


def place_resolver() -> PlaceResolver:
    """Home place text -> place key, through every name of every place (any script), and the district
    of each place; the core gazetteer's where the database holds no places (nothing written)."""
    names = {folded: key for folded, key in PlaceName.objects.values_list("folded", "place__key")}
    if not names:
        return gazetteer_resolver()
    return PlaceResolver(names, districts_of(Place.objects.values_list("key", "kind", "parent__key")))


def features_of(
    records: Iterable[Mapping[str, Any]], place_of: PlaceResolver
) -> list[dict[str, Any]]:
    return [prepare_record(r["id"], r, place_of) for r in records]


def _record_rows(queryset: Any, *extra: str) -> Iterable[dict[str, Any]]:
    values = queryset.filter(erased_at__isnull=True).values("id", *extra, *FEATURE_FIELDS)
    return values.iterator(chunk_size=5000)


# ----------------------------------------------------------------------------- constraints


def constraints() -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """(must_link, cannot_link) record pairs from every decision not undone."""
    must: list[tuple[int, int]] = []
    cannot: list[tuple[int, int]] = []
    for decision in Decision.objects.filter(undone_at__isnull=True).order_by("at", "id"):
        if decision.verdict == Decision.Verdict.MERGE and decision.records:
            # The reviewer merged two persons as they saw them: every record of both stays together.
            merged = [int(r) for r in decision.records]
            must += [(merged[0], other) for other in merged[1:]]
        elif decision.verdict in (Decision.Verdict.SAME, Decision.Verdict.MERGE) and decision.record_a_id:
            must.append((decision.record_a_id, decision.record_b_id))  # type: ignore[arg-type]
        elif decision.verdict == Decision.Verdict.NOT_SAME and decision.record_a_id:
            cannot.append((decision.record_a_id, decision.record_b_id))  # type: ignore[arg-type]
        elif decision.verdict == Decision.Verdict.SPLIT:
            moved = [int(r) for r in decision.records]
            stayed = [int(r) for r, before in decision.moves.get("stayed", {}).items()]
            cannot += [(a, b) for a in moved[:1] for b in stayed]
            must += [(moved[0], other) for other in moved[1:]]
    return must, cannot


def _cannot_link_persons(record_id: int) -> set[int]:
    """Persons a record must never join: they hold a record a reviewer said is not this one."""
    must, cannot = constraints()
    others = {b for a, b in cannot if a == record_id} | {a for a, b in cannot if b == record_id}
    return set(Record.objects.filter(pk__in=others).values_list("person_id", flat=True))


# ----------------------------------------------------------------------------- persons


STATUS_RANK = {"dead": 5, "detained": 4, "injured": 3, "alive": 2, "missing": 1, "unknown": 0}


def refresh_person(person: Person) -> None:
    """A person's summary from its records: the latest dated status is the current best status."""
    records = list(person.records.filter(erased_at__isnull=True).order_by("status_date", "imported_at", "id"))
    if records:
        _summarise(person, records)
        person.save()


_SUMMARY_FIELDS = ("display_name", "status", "status_date", "birth_year", "sex")
_SUMMARY_SOURCES = (
    "id", "person_id", "full_name", "given_name", "family_name", "patronymic", "status", "status_date",
    "imported_at", "birth_date", "sex",
)  # fmt: skip


def latest_known(records: list[Record]) -> Record | None:
    """The record that gives a person's current best status: the last one (records ordered by status date, import
    time, id) that says something. A later list that writes "unknown" has learnt nothing, so it does not undo an
    earlier "dead" or "alive"; the staff home counts, the person page and the estimates all read status this way."""
    known = [r for r in records if r.status and r.status != "unknown"]
    return known[-1] if known else None


def _summarise(person: Person, records: list[Record]) -> None:
    """Set a person's summary fields from its records (ordered by status date, import time, id)."""
    latest = latest_known(records) or records[-1]
    named = max(records, key=lambda r: (len(r.name_as_written()), -r.pk))
    years = [int(r.birth_date[:4]) for r in records if r.birth_date[:4].isdigit()]
    sexes = Counter(r.sex for r in records if r.sex and r.sex != "unknown")
    person.display_name = named.name_as_written()[:300] or person.display_name
    person.status = latest.status or "unknown"
    person.status_date = latest.status_date
    person.birth_year = Counter(years).most_common(1)[0][0] if years else person.birth_year
    if sexes:
        person.sex = (
            sexes.most_common(1)[0][0] if sexes.most_common(1)[0][0] in ("male", "female") else person.sex
        )


def _refresh_persons(person_ids: Iterable[int], chunk: int = 2000) -> None:
    """refresh_person for many persons: a few queries per chunk of persons instead of two per person."""
    ids = sorted(set(person_ids))
    for start in range(0, len(ids), chunk):
        part = ids[start : start + chunk]
        by_person: dict[int, list[Record]] = defaultdict(list)
        rows = (
            Record.objects.filter(person_id__in=part, erased_at__isnull=True)
            .only(*_SUMMARY_SOURCES)
            .order_by("person_id", "status_date", "imported_at", "id")
        )
        for record in rows:
            by_person[record.person_id].append(record)
        persons = list(Person.objects.filter(pk__in=list(by_person)).only("id", *_SUMMARY_FIELDS))
        for person in persons:
            _summarise(person, by_person[person.pk])
        _update_in_bulk(
            Person, _SUMMARY_FIELDS, [(p.pk, *(getattr(p, f) for f in _SUMMARY_FIELDS)) for p in persons]
        )


def _move(record_ids: Iterable[int], person: Person) -> dict[str, int]:
    """Move records into a person; returns {record id: person id before} for undo."""
    before = dict(Record.objects.filter(pk__in=list(record_ids)).values_list("id", "person_id"))
    Record.objects.filter(pk__in=list(before)).update(person=person)
    return {str(k): v for k, v in before.items()}


def _drop_if_empty(
    person_ids: Iterable[int], successors: Mapping[int, int] | None = None, chunk: int = 900
) -> None:
    """Persons left without records or notes are removed (they were only clusters).

    `successors` maps a removed person to the person its records joined: its public id is kept
    as a RetiredPersonId so that saved links lead there, and links that led to it lead on.
    """
    successors = successors or {}
    ids = sorted(set(person_ids))
    for start in range(0, len(ids), chunk):
        empty = dict(
            Person.objects.filter(pk__in=ids[start : start + chunk])
            .exclude(Exists(Record.objects.filter(person_id=OuterRef("pk"))))
            .exclude(Exists(Note.objects.filter(person_id=OuterRef("pk"))))
            .values_list("pk", "public_id")
        )
        followed = {pk: successors[pk] for pk in empty if successors.get(pk) not in (None, pk)}
        if followed:
            # Only retired ids that led to a person removed now need to lead on: one query finds them
            # (an UPDATE per successor was 70,000 queries when a first run merged records at 1M).
            leading = set(
                RetiredPersonId.objects.filter(successor_id__in=list(followed)).values_list("successor_id", flat=True)
            )
            by_successor: dict[int, list[int]] = defaultdict(list)
            for old in leading:
                by_successor[followed[old]].append(old)
            for new, olds in by_successor.items():
                RetiredPersonId.objects.filter(successor_id__in=olds).update(successor_id=new)
            RetiredPersonId.objects.filter(public_id__in=[empty[pk] for pk in followed]).delete()
            now = timezone.now()
            _insert_rows(
                RetiredPersonId, ("public_id", "former_pk", "successor", "retired_at"),
                [(empty[old], old, new, now) for old, new in followed.items()],
            )  # fmt: skip
        _delete_persons(list(empty))


def _insert_rows(model: Any, fields: tuple[str, ...], rows: list[tuple[Any, ...]]) -> None:
    """INSERT rows of a model from value tuples in one executemany: bulk_create builds a model
    instance per row, which took 4.8 of the 17.7 s of removing 60,000 persons at a million records."""
    quote = connection.ops.quote_name
    meta = [model._meta.get_field(f) for f in fields]
    columns = ", ".join(quote(f.column) for f in meta)
    marks = ", ".join(["%s"] * len(fields))
    # Whole numbers and text go to the database as they are; anything else (a time, usually one for
    # all rows) the field prepares, once per value.
    done: dict[tuple[int, Any], Any] = {}

    def prep(index: int, value: Any) -> Any:
        if type(value) in (int, str):
            return value
        if (index, value) not in done:
            done[index, value] = meta[index].get_db_prep_save(value, connection)
        return done[index, value]

    prepared = [tuple(prep(i, v) for i, v in enumerate(row)) for row in rows]
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES ({marks})",  # noqa: S608 - our names
            prepared,
        )


def _delete_persons(person_ids: list[int]) -> None:
    """Delete persons that have no records and no notes (the caller has checked), in one statement.

    Django's delete() collects every related row first (the notices and retired ids that point
    to a person are set to null, as their on_delete says, here too): 9.5 of the 17.7 s of removing
    60,000 persons. A record or note that still pointed to one would fail the database's own
    foreign key check, so nothing is lost if the caller was wrong."""
    if not person_ids:
        return
    Notification.objects.filter(person_id__in=person_ids).update(person=None)
    RetiredPersonId.objects.filter(successor_id__in=person_ids).update(successor=None)
    quote = connection.ops.quote_name
    marks = ", ".join(["%s"] * len(person_ids))
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {quote(Person._meta.db_table)} WHERE {quote(Person._meta.pk.column)} IN ({marks})",  # noqa: S608
            person_ids,
        )


def _revive(person_id: int) -> Person:
    """The person with this primary key, recreated under its old public id if a merge removed it."""
    person = Person.objects.filter(pk=person_id).first()
    if person is not None:
        return person
    retired = RetiredPersonId.objects.filter(former_pk=person_id).order_by("-retired_at", "-id").first()
    if retired is None:
        return Person.objects.create(pk=person_id, display_name="?")
    person = Person.objects.create(pk=person_id, display_name="?", public_id=retired.public_id)
    retired.delete()
    return person


# ----------------------------------------------------------------------------- tracing


def notify_tracing(record: Record, person: Person) -> int:
    """Tell the caseworkers holding open tracing requests for this person that a record joined it."""
    sent = 0
    requests = (
        TracingRequest.objects.filter(
            record__person=person, state=TracingRequest.State.OPEN, assigned_to__isnull=False
        )
        .exclude(record=record)
        .select_related("assigned_to")
    )
    for tracing in requests:
        text = (
            f"A record from {record.source} ({record.record_id}, status {record.status or 'unknown'}) "
            f"was linked to {person.display_name}, whom you are tracing (request {tracing.pk})."
        )
        notice, created = Notification.objects.get_or_create(
            tracing_request=tracing, record=record,
            defaults={"user": tracing.assigned_to, "person": person, "text": text},
        )  # fmt: skip
        if not created:
            continue
        user = tracing.assigned_to
        if user is not None and user.email:
            address = user.email
            transaction.on_commit(
                lambda address=address, text=text: send_mail(
                    "rollcall: news of a person you are tracing", text, None, [address], fail_silently=True
                )
            )
        sent += 1
    return sent


# ----------------------------------------------------------------------------- batch


@dataclass
class LinkReport:
    records: int
    linkable: int
    pairs_scored: int
    persons: int
    merged_records: int
    review_pairs: int
    refused_by_reviewers: int
    notifications: int
    model_version: int
    seconds: float
    timings: dict[str, float] = field(default_factory=dict)  # seconds per stage, for benchmarks

    def summary(self) -> str:
        return (
            f"linked {self.records} records into {self.persons} persons "
            f"({self.pairs_scored} pairs scored, {self.review_pairs} for review, "
            f"{self.refused_by_reviewers} kept apart by reviewers' decisions, "
            f"{self.notifications} tracing notifications); model v{self.model_version}; {self.seconds:.1f} s"
        )


def _frame(rows: list[dict[str, Any]]) -> Any:
    return _frame_of_columns({c: [r[c] for r in rows] for c in FEATURE_COLUMNS})


def _frame_of_columns(columns: Mapping[str, list[Any]]) -> Any:
    """The feature frame, each column built as its type directly (the text columns as Arrow
    strings, pandas' own "str"): pandas' inference over a million Python values took 2.9 of
    the 3.2 s of building the frame."""
    import numpy as np
    import pandas as pd
    import pyarrow as pa

    text = pd.StringDtype("pyarrow", na_value=np.nan)
    data: dict[str, Any] = {}
    for column in FEATURE_COLUMNS:
        values = columns[column]
        if column in INTEGER_FEATURES:
            # Through floats, where None is NaN; every value is far below 2**53, so exact.
            floats = np.array(values, dtype=float)
            missing = np.isnan(floats)
            data[column] = pd.arrays.IntegerArray(np.where(missing, 0, floats).astype(np.int64), missing)
        elif column == "unique_id":
            data[column] = pd.Series(values)
        else:
            data[column] = pd.arrays.ArrowStringArray(pa.array(values, type=pa.large_string()), dtype=text)
    return pd.DataFrame(data)


@dataclass
class _Table:
    """Every record to link, column-wise: no per-record dicts kept (1M dicts would take gigabytes)."""

    ids: list[int]
    persons: list[int]
    sources: list[int]
    rows: array  # each record's row on its list (its dataset), 8 bytes each: neighbouring rows are evidence
    features: dict[str, list[Any]]  # feature columns of the records that have a usable name

    @property
    def linkable(self) -> int:
        return len(self.features["unique_id"])


@contextmanager
def _cycle_collector_paused() -> Iterator[None]:
    """Pause Python's cycle collector while millions of objects that form no cycles are built (the
    records' rows and features, the clusters, the moves to write): each of its full passes walks
    every live object, and at a million records they took more than half the time of reading them
    (36 s; 15 s with the collector paused). Nothing built there needs it: memory is freed by
    reference counting, and the collector runs again after."""
    paused = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if paused:
            gc.enable()


def _read_table(place_of: PlaceResolver, batch: int = 50_000) -> _Table:
    """Every record's features, read straight from the database cursor in batches (prepare_columns
    works out each distinct name, date and place of a batch once)."""
    table = _Table([], [], [], array("q"), {c: [] for c in FEATURE_COLUMNS})
    rows = iter(
        Record.objects.filter(erased_at__isnull=True)
        .values_list("id", "person_id", "dataset_id", "row_number", *FEATURE_FIELDS)
        .iterator(chunk_size=10_000)
    )
    while chunk := list(islice(rows, batch)):
        ids, persons, sources, numbers, *values = zip(*chunk, strict=True)
        del chunk
        table.ids.extend(ids)
        table.persons.extend(persons)
        table.sources.extend(sources)
        table.rows.extend(numbers)
        features = prepare_columns(ids, dict(zip(FEATURE_FIELDS, values, strict=True)), place_of)
        named = named_rows(features)
        for column, kept in table.features.items():
            values_of = features[column]
            kept.extend(values_of if len(named) == len(ids) else [values_of[i] for i in named])
    return table


def do_link(
    *, engine: str = "duckdb", user: Any = None, spark: Any = None, progress: Any = None
) -> LinkReport:
    """Train the model on every record, score blocked pairs, cluster under reviewers' constraints,
    and write persons, review pairs, the model version and tracing notifications atomically.

    Built for a million records in a few gigabytes: records are read column-wise, scored pairs
    stay in numpy arrays (only pairs at or above the upper threshold become Python tuples, for
    clustering), and persons are written back in bulk (see _write_clusters).
    """
    started = time.perf_counter()
    timings: dict[str, float] = {}

    def lap(name: str, since: list[float] = [started]) -> None:  # noqa: B006 - a running clock
        now = time.perf_counter()
        timings[name] = now - since[0]
        since[0] = now
        log.info("link: %s %.1f s", name, timings[name])

    with _cycle_collector_paused():
        table = _read_table(place_resolver())
    lap("read and features")
    if not table.ids:
        raise LinkageError("there are no records to link: import lists first (rollcall import)")
    upper, lower = upper_threshold(), lower_threshold()
    kept_floor = min(lower, KEPT_PAIR_FLOOR)  # pairs scored below it are not kept
    linkable = table.linkable
    strong: list[tuple[int, int, float]] = []
    unsure: list[tuple[int, int, float]] = []
    scored = 0
    weights: ModelWeights | None = None
    if linkable >= 2:
        frame = _frame_of_columns(table.features)
        table.features.clear()  # the frame holds them now
        try:
            # u sampling never needs more pairs than the table has.
            all_pairs = len(frame) * (len(frame) - 1) / 2
            result = train_and_predict(
                frame, engine=engine, spark=spark, floor=kept_floor, u_max_pairs=min(1e6, all_pairs),
                sources=dict(zip(table.ids, table.sources, strict=True)), blocking_window=block_window(),
                rows=table.rows, neighbour_rows=neighbour_rows(),  # in the order of `sources`
            )  # fmt: skip
        except ImportError as error:
            raise LinkageError(f"the {engine} engine is not installed: {error}") from error
        del frame
        lap("model")
        # Every kept pair below the upper threshold counts in cohesion; the review queue takes those
        # from the lower threshold up (_write_review_pairs).
        strong, unsure, scored = split_pairs(result.pairs, kept_floor, upper)
        weights = result.model
        del result
    must, cannot = constraints()
    with _cycle_collector_paused():
        clusters = cluster(
            table.ids, strong, threshold=upper, must_link=must, cannot_link=cannot,
            source_of=dict(zip(table.ids, table.sources, strict=True)), cohesion=cohesion(), weak=unsure,
        )  # fmt: skip
    lap("clusters")
    with transaction.atomic(), _cycle_collector_paused():
        version = ModelVersion.objects.create(
            engine=engine,
            prior=weights.prior if weights else 0.0,
            weights=weights.to_dict() if weights else {},
            splink_json=weights.splink_json if weights else "",
            records=len(table.ids),
            pairs_scored=scored,
            upper_threshold=upper,
            lower_threshold=lower,
            created_by=user if getattr(user, "is_authenticated", False) else None,
        )
        moved, notifications, persons = _write_clusters(
            clusters.cluster_of, dict(zip(table.ids, table.persons, strict=True))
        )
        review = _write_review_pairs(unsure, clusters.cluster_of, lower, upper, version)
        version.persons = persons
        version.seconds = time.perf_counter() - started
        version.save()
        audit(
            "link",
            user=user,
            object_type="model",
            object_id=version.pk,
            records=len(table.ids),
            persons=persons,
        )
    lap("write")
    return LinkReport(
        records=len(table.ids), linkable=linkable,
        pairs_scored=scored, persons=persons,
        merged_records=moved, review_pairs=review, refused_by_reviewers=len(clusters.refused),
        notifications=notifications, model_version=version.pk, seconds=time.perf_counter() - started,
        timings=timings,
    )  # fmt: skip


def _write_clusters(cluster_of: Mapping[int, int], current: Mapping[int, int]) -> tuple[int, int, int]:
    """Give each cluster one Person, keeping the person most of its records already have.

    In bulk: new persons by bulk_create, record moves through a temporary table and one
    set-based UPDATE, summaries of the persons that changed by _refresh_persons, emptied persons
    removed in chunks. Tracing notifications are looked up once for all persons that gained records.
    """
    groups: dict[int, list[int]] = defaultdict(list)
    for record, root in cluster_of.items():
        groups[root].append(record)
    used: set[int] = set()
    moves: list[tuple[int, int]] = []  # (record, person)
    needs_person: list[list[int]] = []
    for members in sorted(groups.values(), key=len, reverse=True):
        if len(members) == 1:
            pid = current[members[0]]
            if pid not in used:
                used.add(pid)
                continue
            needs_person.append(members)
            continue
        counts = Counter(current[m] for m in members)
        keep = next((pid for pid, _ in counts.most_common() if pid not in used), None)
        if keep is None:
            needs_person.append(members)
            continue
        used.add(keep)
        moves += [(m, keep) for m in members if current[m] != keep]
    if needs_person:
        created = Person.objects.bulk_create([Person(display_name="") for _ in needs_person], batch_size=1000)
        for members, person in zip(needs_person, created, strict=True):
            used.add(person.pk)
            moves += [(m, person.pk) for m in members]
    if not moves:
        return 0, 0, len(used)
    _move_in_bulk(moves)
    gained = {person for _, person in moves}
    left = {current[record] for record, _ in moves}
    _refresh_persons(gained | (left & used))
    went: dict[int, Counter[int]] = defaultdict(Counter)
    for record, person in moves:
        went[current[record]][person] += 1
    # A removed person's saved links lead to the person most of its records joined.
    _drop_if_empty(left - used, {old: went[old].most_common(1)[0][0] for old in left - used})
    notifications = _notify_moves(moves)
    return len(moves), notifications, len(used)


def _move_in_bulk(moves: list[tuple[int, int]]) -> None:
    """Set each moved record's person, in bulk."""
    _update_in_bulk(Record, ("person",), moves)


def _update_in_bulk(
    model: Any, fields: tuple[str, ...], rows: list[tuple[Any, ...]], chunk: int = 5000
) -> None:
    """UPDATE many rows of a model from (pk, value...) tuples: a temporary table and one set-based
    UPDATE. Django's bulk_update writes a CASE per field per batch, which on SQLite took 34 of the
    41 seconds of writing back 13,000 persons."""
    quote = connection.ops.quote_name
    temp = quote("rollcall_bulk_update")
    target = quote(model._meta.db_table)
    pk = quote(model._meta.pk.column)
    columns = [quote(model._meta.get_field(f).column) for f in fields]
    names = [f"v{i}" for i in range(len(fields))]
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {temp}")
        cursor.execute(
            f"CREATE TEMPORARY TABLE {temp} (k bigint PRIMARY KEY, {', '.join(f'{n} text' for n in names)})"
        )
        marks = ", ".join(["%s"] * (len(fields) + 1))
        for start in range(0, len(rows), chunk):
            cursor.executemany(
                f"INSERT INTO {temp} (k, {', '.join(names)}) VALUES ({marks})",  # noqa: S608 - our names
                rows[start : start + chunk],
            )
        if connection.vendor == "postgresql":
            # Temporary columns are text: cast each back to the target column's type.
            types = [model._meta.get_field(f).db_type(connection) for f in fields]
            sets = ", ".join(f"{c} = m.{n}::{t}" for c, n, t in zip(columns, names, types, strict=True))
            cursor.execute(f"UPDATE {target} AS r SET {sets} FROM {temp} AS m WHERE r.{pk} = m.k")  # noqa: S608
        else:
            sets = ", ".join(
                f"{c} = (SELECT m.{n} FROM {temp} AS m WHERE m.k = {target}.{pk})"  # noqa: S608
                for c, n in zip(columns, names, strict=True)
            )
            cursor.execute(f"UPDATE {target} SET {sets} WHERE {pk} IN (SELECT k FROM {temp})")  # noqa: S608
        cursor.execute(f"DROP TABLE {temp}")


def _notify_moves(moves: list[tuple[int, int]]) -> int:
    """Tracing notifications for records that joined a person someone is tracing (one lookup for all)."""
    gained = {person for _, person in moves}
    traced: set[int] = set()
    candidates = sorted(gained)
    for start in range(0, len(candidates), 900):
        traced |= set(
            TracingRequest.objects.filter(
                record__person_id__in=candidates[start : start + 900],
                state=TracingRequest.State.OPEN,
                assigned_to__isnull=False,
            ).values_list("record__person_id", flat=True)
        )
    sent = 0
    for record_id, person_id in moves:
        if person_id in traced:
            record = Record.objects.select_related("source").get(pk=record_id)
            sent += notify_tracing(record, Person.objects.get(pk=person_id))
    return sent


def _write_review_pairs(
    pairs: list[tuple[int, int, float]],
    cluster_of: Mapping[Any, Any],
    lower: float,
    upper: float,
    version: ModelVersion,
) -> int:
    decided = set(Decision.objects.filter(record_a__isnull=False).values_list("record_a_id", "record_b_id"))
    decided |= {(b, a) for a, b in decided}
    existing = set(CandidatePair.objects.values_list("record_a_id", "record_b_id"))
    unsure = sorted(
        (p for p in pairs if lower <= p[2] < upper and cluster_of.get(p[0]) != cluster_of.get(p[1])),
        key=lambda p: -p[2],
    )[:MAX_REVIEW_PAIRS]
    new = [
        CandidatePair(record_a_id=min(a, b), record_b_id=max(a, b), probability=p, model=version)
        for a, b, p in unsure
        if (a, b) not in decided and (min(a, b), max(a, b)) not in existing
    ]
    CandidatePair.objects.bulk_create(new, batch_size=2000)
    return len(new)


# ----------------------------------------------------------------------------- incremental


def latest_model() -> tuple[ModelVersion, ModelWeights] | None:
    """The latest saved model. Its weights are parsed once per process and version (a model
    version never changes once written), since incremental linkage asks for them per record."""
    version = (
        ModelVersion.objects.exclude(weights={})
        .order_by("-created_at", "-id")
        .defer("weights", "splink_json")
        .first()
    )
    if version is None:
        return None
    # The creation time is in the key too: ids come back after a rolled-back transaction.
    return version, _weights_of(version.pk, version.created_at.isoformat())


@lru_cache(maxsize=4)
def _weights_of(version_id: int, created_at: str) -> ModelWeights:
    return ModelWeights.from_dict(ModelVersion.objects.values_list("weights", flat=True).get(pk=version_id))


_resolvers: dict[tuple[int, int | None], PlaceResolver] = {}


def cached_place_resolver() -> PlaceResolver:
    """place_resolver(), built again only when the gazetteer's names change (one small query to know)."""
    state = PlaceName.objects.aggregate(count=Count("id"), last=Max("id"))
    key = (int(state["count"]), state["last"])
    if key not in _resolvers:
        _resolvers.clear()
        _resolvers[key] = place_resolver()
    return _resolvers[key]


@dataclass(frozen=True)
class IncrementalOutcome:
    record_id: int
    outcome: str  # "joined", "review", "new", "unlinkable", "no model"
    person_id: int | None
    probability: float


def link_new_records(record_ids: list[int]) -> None:
    """Link newly stored records on arrival (called at the end of an import or a submission)."""
    link_records_incrementally(record_ids)


def link_records_incrementally(record_ids: list[int]) -> list[IncrementalOutcome]:
    """Score each new record against candidates from the names index with the saved model.

    At or above the upper threshold the record joins the best person (unless a reviewer said it
    is not that person); between thresholds the pair goes to review; below, it stays its own person.
    """
    from rollcall.registry.search import candidate_records

    loaded = latest_model()
    if loaded is None:
        return [IncrementalOutcome(r, "no model", None, 0.0) for r in record_ids]
    version, weights = loaded
    upper, lower = upper_threshold(), lower_threshold()
    place_of = cached_place_resolver()
    outcomes = []
    records = {r["id"]: r for r in _record_rows(Record.objects.filter(pk__in=record_ids), "dataset_id")}
    for record_id in record_ids:
        row = records.get(record_id)
        if row is None:
            continue
        mine = prepare_record(record_id, row, place_of)
        if not has_a_name(mine):
            outcomes.append(IncrementalOutcome(record_id, "unlinkable", None, 0.0))
            continue
        candidate_ids = [c for c in candidate_records({k: row[k] or "" for k in FEATURE_FIELDS}, limit=50)
                         if c != record_id]  # fmt: skip
        others = Record.objects.filter(pk__in=candidate_ids, erased_at__isnull=True).values(
            "id", "person_id", "dataset_id", *FEATURE_FIELDS
        )
        best: dict[int, tuple[float, int]] = {}
        for other in others:
            # Two records of one list (one dataset, as the batch run's `sources`) get the within-list prior.
            same_list = other["dataset_id"] == row["dataset_id"]
            other_features = prepare_record(other["id"], other, place_of)
            score = weights.score(
                mine, other_features, same_list=same_list, list_id=row["dataset_id"]
            ).match_probability
            pid = other["person_id"]
            if score > best.get(pid, (-1.0, 0))[0]:
                best[pid] = (score, other["id"])
        outcomes.append(_apply_incremental(record_id, best, upper, lower, version))
    return outcomes


@transaction.atomic
def _apply_incremental(
    record_id: int, best: Mapping[int, tuple[float, int]], upper: float, lower: float, version: ModelVersion
) -> IncrementalOutcome:
    record = Record.objects.select_related("person", "source").get(pk=record_id)
    forbidden = _cannot_link_persons(record_id) | {record.person_id}
    ranked = sorted(((p, pid, rid) for pid, (p, rid) in best.items() if pid not in forbidden), reverse=True)
    if not ranked:
        return IncrementalOutcome(record_id, "new", record.person_id, 0.0)
    probability, person_id, other_id = ranked[0]
    if probability >= upper:
        person = Person.objects.get(pk=person_id)
        old = record.person_id
        _move(Record.objects.filter(person_id=old).values_list("id", flat=True), person)
        _drop_if_empty([old], {old: person.pk})
        refresh_person(person)
        notify_tracing(record, person)
        return IncrementalOutcome(record_id, "joined", person.pk, probability)
    if probability >= lower:
        a, b = min(record_id, other_id), max(record_id, other_id)
        CandidatePair.objects.get_or_create(
            record_a_id=a, record_b_id=b, defaults={"probability": probability, "model": version}
        )
        return IncrementalOutcome(record_id, "review", record.person_id, probability)
    return IncrementalOutcome(record_id, "new", record.person_id, probability)


# ----------------------------------------------------------------------------- review


class DecisionRefused(Exception):
    """A decision that contradicts an earlier one still in force, or lacks a reason."""


def _require_reason(reason: str) -> str:
    if not reason or not reason.strip():
        raise DecisionRefused("a reason is required for every decision")
    return reason.strip()


@transaction.atomic
def do_decide(pair: CandidatePair, verdict: str, *, user: Any, reason: str) -> Decision:
    """A reviewer's verdict on a candidate pair: same (merge), not the same (kept apart), or skip."""
    reason = _require_reason(reason)
    if verdict not in (Decision.Verdict.SAME, Decision.Verdict.NOT_SAME, Decision.Verdict.SKIP):
        raise DecisionRefused(f"unknown verdict {verdict!r}: use same, not_same or skip")
    a = Record.objects.select_related("person").get(pk=pair.record_a_id)
    b = Record.objects.select_related("person").get(pk=pair.record_b_id)
    moves: dict[str, Any] = {}
    if verdict == Decision.Verdict.SAME:
        if b.person_id in _cannot_link_persons(a.pk) or a.person_id in _cannot_link_persons(b.pk):
            raise DecisionRefused(
                "a reviewer decided these are not the same person: undo that decision first"
            )
        if a.person_id != b.person_id:
            moves = _move(Record.objects.filter(person_id=b.person_id).values_list("id", flat=True), a.person)
            _drop_if_empty([b.person_id], {b.person_id: a.person_id})
            refresh_person(a.person)
            notify_tracing(b, a.person)
    elif verdict == Decision.Verdict.NOT_SAME and a.person_id == b.person_id:
        # They were clustered together: b leaves, alone, into a new person.
        person = Person.objects.create(display_name=b.name_as_written()[:300] or "?")
        moves = _move([b.pk], person)
        refresh_person(person)
        refresh_person(a.person)
    pair.state = (
        CandidatePair.State.SKIPPED if verdict == Decision.Verdict.SKIP else CandidatePair.State.DECIDED
    )
    pair.save(update_fields=["state"])
    decision = Decision.objects.create(
        verdict=verdict, record_a=a, record_b=b, pair=pair, moves=moves, reason=reason, author=user
    )
    audit("decide", user=user, object_type="pair", object_id=pair.pk, verdict=verdict, reason=reason)
    return decision


@transaction.atomic
def do_merge(into: Person, other: Person, *, user: Any, reason: str) -> Decision:
    """Merge two persons (a confirmed "same"): the model never splits them again."""
    reason = _require_reason(reason)
    if into.pk == other.pk:
        raise DecisionRefused("a person cannot be merged with itself")
    a = into.records.order_by("id").first()
    b = other.records.order_by("id").first()
    if a is None or b is None:
        raise DecisionRefused("both persons need at least one record to merge")
    forbidden = set()
    for record_id in other.records.values_list("id", flat=True):
        forbidden |= _cannot_link_persons(record_id)
    if into.pk in forbidden:
        raise DecisionRefused("a reviewer decided records of these persons are not the same: undo that first")
    merged = sorted(
        set(into.records.values_list("id", flat=True)) | set(other.records.values_list("id", flat=True))
    )
    moves: dict[str, Any] = _move(other.records.values_list("id", flat=True), into)
    moves["notes"] = {
        str(n): other.pk for n in Note.objects.filter(person=other).values_list("id", flat=True)
    }
    Note.objects.filter(person=other).update(person=into)
    _drop_if_empty([other.pk], {other.pk: into.pk})
    refresh_person(into)
    decision = Decision.objects.create(
        verdict=Decision.Verdict.MERGE,
        record_a=a,
        record_b=b,
        records=merged,
        moves=moves,
        reason=reason,
        author=user,
    )
    audit("merge", user=user, object_type="person", object_id=into.pk, other=other.pk, reason=reason)
    return decision


@transaction.atomic
def do_split(person: Person, record_ids: list[int], *, user: Any, reason: str) -> Decision:
    """Move some records of a person into a new person; the model keeps them apart from then on."""
    reason = _require_reason(reason)
    mine = set(person.records.values_list("id", flat=True))
    chosen = [r for r in record_ids if r in mine]
    if not chosen or len(chosen) == len(mine):
        raise DecisionRefused("choose some, not all, of the person's records to split off")
    first = Record.objects.get(pk=chosen[0])
    new_person = Person.objects.create(display_name=first.name_as_written()[:300] or "?")
    moves = _move(chosen, new_person)
    stayed = {str(r): person.pk for r in mine - set(chosen)}
    refresh_person(new_person)
    refresh_person(person)
    decision = Decision.objects.create(
        verdict=Decision.Verdict.SPLIT, record_a=first, record_b=person.records.order_by("id").first(),
        records=chosen, moves={**moves, "stayed": stayed}, reason=reason, author=user,
    )  # fmt: skip
    audit("split", user=user, object_type="person", object_id=person.pk, records=chosen, reason=reason)
    return decision


@transaction.atomic
def do_undo(decision: Decision, *, user: Any, reason: str) -> Decision:
    """Undo a decision: records go back to the persons they were in, and the constraint is lifted."""
    reason = _require_reason(reason)
    if decision.undone_at is not None:
        raise DecisionRefused("this decision was already undone")
    moves = {k: v for k, v in decision.moves.items() if k.isdigit()}
    by_person: dict[int, list[int]] = defaultdict(list)
    for record_id, person_id in moves.items():
        by_person[int(person_id)].append(int(record_id))
    emptied = set(Record.objects.filter(pk__in=[int(r) for r in moves]).values_list("person_id", flat=True))
    for person_id, records in by_person.items():
        person = _revive(person_id)
        Record.objects.filter(pk__in=records).update(person=person)
        refresh_person(person)
    for note_id, person_id in decision.moves.get("notes", {}).items():
        person = _revive(int(person_id))
        Note.objects.filter(pk=int(note_id)).update(person=person)
    for pid in emptied:
        if Person.objects.filter(pk=pid).exists():
            refresh_person(Person.objects.get(pk=pid))
    _drop_if_empty(emptied)
    decision.undone_at = timezone.now()
    decision.undone_by = user
    decision.undo_reason = reason
    decision.save(update_fields=["undone_at", "undone_by", "undo_reason"])
    if decision.pair_id:
        CandidatePair.objects.filter(pk=decision.pair_id).update(state=CandidatePair.State.OPEN)
    audit("undo", user=user, object_type="decision", object_id=decision.pk, reason=reason)
    return decision
