"""Person search by name, in any script, through the names index (NameKey).

A search is a fixed, small number of statements whatever the data: all of the query's index
keys in one statement, each key's rows bounded (`rollcall_core.names.candidates` chooses the
candidates), the best candidates' names in one, their persons in one, and, for staff, those
persons' records in one. Candidates are ranked by `rollcall_core.names.name_score` and grouped
by person.

With `detail=True` (staff pages, the command, the staff API) a result carries the person's
records and why it matched; the public search asks for `detail=False` and gets neither, and
nothing about a record is even read for it.
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models import F, Window
from django.db.models.functions import RowNumber

from rollcall.registry.models import IndexState, NameKey, Person, PlaceName, Record
from rollcall_core.names import index_keys, keys_version, name_score, name_similarity
from rollcall_core.names.candidates import DEFAULT_POLICY, CandidatePolicy, find_candidates

MAX_QUERY_CHARS = 200
# Rows per pair/initial key, rows per single-part key, candidates scored (the benchmarks use the same).
POLICY = DEFAULT_POLICY
# With filters, each key reads FILTER_SCAN times its bound of index rows, then filters them, so
# that a rare filter value never makes a statement walk a whole common key; each row read costs
# a lookup of its record (measured at 1M records: docs/names.md).
FILTER_SCAN = 2
# Records shown per person in a detailed result (a large cluster is seen in full on its page).
RECORDS_SHOWN = 20
INDEX_NAME = "names"
NAME_FIELDS = ("full_name", "given_name", "family_name", "patronymic", "alternate_names")


@dataclass(frozen=True)
class SearchFilters:
    sex: str = ""
    birth_year: int | None = None
    age: int | None = None
    home_place: str = ""


@dataclass(frozen=True)
class SearchResult:
    person_id: str
    display_name: str
    score: float
    records: list[dict[str, str]] = field(default_factory=list)
    why: tuple[str, ...] = ()
    person_pk: int = 0
    age_band: str = ""

    def to_dict(self) -> dict[str, object]:
        return {
            "person_id": self.person_id,
            "display_name": self.display_name,
            "score": round(self.score, 4),
            "records": self.records,
        }


def clean_query(query: str) -> str:
    """The query with control, format (RTL marks, zero-width joiners) and unassigned characters removed; bounded."""
    text = unicodedata.normalize("NFC", query[: MAX_QUERY_CHARS * 4])
    text = "".join(
        " " if ch.isspace() else ch for ch in text if unicodedata.category(ch)[0] != "C" or ch.isspace()
    )
    return " ".join(text.split())[:MAX_QUERY_CHARS]


def record_names(record: Record | Mapping[str, str]) -> list[str]:
    """The name forms of a record that the index and the ranking use."""
    get = (lambda f: getattr(record, f)) if isinstance(record, Record) else (lambda f: record.get(f, ""))
    whole = get("full_name") or " ".join(
        p for p in (get("given_name"), get("patronymic"), get("family_name")) if p
    )
    names = [whole] if whole else []
    names += [a.strip() for a in get("alternate_names").split(";") if a.strip()]
    return names


def keys_for_record(record: Record | Mapping[str, str]) -> set[str]:
    keys: set[str] = set()
    for name in record_names(record):
        keys |= index_keys(name)
    return keys


def index_records(records: Iterable[Record]) -> int:
    """Write the index rows of records (call inside the transaction that stores them).

    A plain executemany: the ORM's bulk_create spent most of an import building model
    instances for these two-column rows (docs/benchmarks.md, "Import").
    """
    rows = [(key[:64], record.pk) for record in records for key in keys_for_record(record)]
    quote = connection.ops.quote_name
    sql = f"INSERT INTO {quote(NameKey._meta.db_table)} ({quote('key')}, {quote('record_id')}) VALUES (%s, %s)"  # noqa: S608 - our own table and columns
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)
    return len(rows)


def rebuild_index(progress: object = None) -> int:
    """Recompute every record's keys, e.g. after the key algorithm changed version."""
    total = Record.objects.count()
    written = done = 0
    with transaction.atomic():
        NameKey.objects.all().delete()
        batch: list[Record] = []
        for record in Record.objects.only(*NAME_FIELDS).iterator(chunk_size=5000):
            batch.append(record)
            if len(batch) == 5000:
                written += index_records(batch)
                done += len(batch)
                batch = []
                if callable(progress):
                    progress(done, total)
        written += index_records(batch)
        IndexState.objects.update_or_create(name=INDEX_NAME, defaults={"version": keys_version})
    if callable(progress):
        progress(total, total)
    return written


def index_is_current() -> bool:
    state = IndexState.objects.filter(name=INDEX_NAME).first()
    if state is None:
        # An index that never needed a rebuild is current if it was built by imports of this version.
        return not Record.objects.exists() or NameKey.objects.exists()
    return state.version == keys_version


def ensure_current_index(progress: object = None) -> bool:
    """Rebuild the index if an older key version built it (before serving); True if it rebuilt."""
    if index_is_current():
        return False
    rebuild_index(progress=progress)
    return True


def mark_index_version() -> None:
    IndexState.objects.get_or_create(name=INDEX_NAME, defaults={"version": keys_version})


def _place_variants(place_text: str) -> list[str]:
    """Every name of the places whose name matches the text, so a filter in any script works.

    Each name also in lower, upper and title case: records keep the place as written, and SQLite
    compares only ASCII letters without case.
    """
    folded = place_text.strip().casefold()
    if not folded:
        return []
    place_ids = PlaceName.objects.filter(folded=folded).values_list("place_id", flat=True)
    names = set(PlaceName.objects.filter(place_id__in=place_ids[:20]).values_list("name", flat=True)[:200])
    names.add(place_text.strip())
    return sorted({form for name in names for form in (name, name.lower(), name.upper(), name.title())})


def _age_fits(birth_date: str, age_text: str, age: int | None) -> bool:
    if age is None:
        return True
    if birth_date[:4].isdigit():
        return abs((2023 - int(birth_date[:4])) - age) <= 3
    numbers = [int(n) for n in age_text.replace("-", " ").split() if n.isdigit()]
    if numbers:
        return min(numbers) - 3 <= age <= max(numbers) + 3
    return True


def _filter_sql(filters: SearchFilters) -> tuple[str, list[object]]:
    """A WHERE clause on the record (alias r) for the filters, with its parameters; "" when none."""
    conditions: list[str] = []
    params: list[object] = []
    quote = connection.ops.quote_name
    if filters.sex:
        conditions.append(f"r.{quote('sex')} = %s")
        params.append(filters.sex)
    if filters.birth_year:
        # A record without a birth date may still be the person.
        conditions.append(f"(r.{quote('birth_date')} LIKE %s OR r.{quote('birth_date')} = '')")
        params.append(f"{int(filters.birth_year):04d}%")
    if filters.home_place:
        variants = _place_variants(filters.home_place)
        conditions.append(f"r.{quote('home_place')} IN ({', '.join(['%s'] * len(variants))})")
        params += variants
    return " AND ".join(conditions), params


def fetch_keys(bounds: Mapping[str, int], filters: SearchFilters | None = None) -> dict[str, list[int]]:
    """For each key, at most its bound of record ids (lowest first), all keys in one statement.

    Each key reads its own bounded range of the (key, record) index: a LIMIT per key inside a
    UNION ALL, so a common key cannot crowd out a rare one and no key is read to its end.
    """
    if not bounds:
        return {}
    quote = connection.ops.quote_name
    table = quote(NameKey._meta.db_table)
    key_col, record_col = quote("key"), quote("record_id")
    where, filter_params = _filter_sql(filters or SearchFilters())
    parts: list[str] = []
    params: list[object] = []
    for n, (key, per_key) in enumerate(bounds.items()):
        own = f"SELECT {key_col}, {record_col} FROM {table} WHERE {key_col} = %s ORDER BY {record_col} LIMIT %s"  # noqa: S608 - our table and columns; values are parameters
        if where:
            record_table = quote(Record._meta.db_table)
            parts.append(
                f"SELECT * FROM (SELECT s.{key_col}, s.{record_col} FROM ({own}) s "  # noqa: S608
                f"JOIN {record_table} r ON r.{quote('id')} = s.{record_col} WHERE {where} "
                f"ORDER BY s.{record_col} LIMIT %s) k{n}"
            )
            params += [key[:64], FILTER_SCAN * per_key, *filter_params, per_key]
        else:
            parts.append(f"SELECT * FROM ({own}) k{n}")  # noqa: S608 - as above
            params += [key[:64], per_key]
    found: dict[str, list[int]] = defaultdict(list)
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), params)
        for key, record_id in cursor.fetchall():
            found[key].append(record_id)
    return found


def candidate_record_ids(
    query: str, *, filters: SearchFilters | None = None, limit: int = POLICY.scored
) -> list[int]:
    """Record ids sharing index keys with the query, the most (and rarest) shared keys first."""
    policy = CandidatePolicy(per_key=POLICY.per_key, per_broad_key=POLICY.per_broad_key, scored=limit)
    return find_candidates(query, lambda bounds: fetch_keys(bounds, filters), policy)


def candidate_records(fields: Mapping[str, str], *, limit: int = 50) -> list[int]:
    """Candidate record ids for a new record's fields (used by incremental linkage)."""
    names = record_names(fields)
    seen: dict[int, int] = {}
    for name in names:
        for rank, record_id in enumerate(candidate_record_ids(name, limit=limit)):
            seen[record_id] = min(rank, seen.get(record_id, rank))
    return sorted(seen, key=lambda rid: seen[rid])[:limit]


def search_persons(
    query: str, *, limit: int = 10, filters: SearchFilters | None = None, detail: bool = True
) -> list[SearchResult]:
    """Ranked persons whose records' names match the query under any spelling or script.

    detail=False (the public search) leaves out records and reasons and reads no record beyond
    the candidates' names.
    """
    text = clean_query(query)
    if not any(ch.isalpha() for ch in text):
        return []
    filters = filters or SearchFilters()
    ids = candidate_record_ids(text, filters=filters)
    if not ids:
        return []
    best: dict[int, tuple[float, str]] = {}
    # order_by(): the models' default orderings would make each of these statements sort.
    rows = Record.objects.filter(pk__in=ids).order_by().values_list("person_id", "birth_date", "age", *NAME_FIELDS)
    for person_id, birth_date, age_text, *names in rows:
        if not _age_fits(birth_date, age_text, filters.age):
            continue
        for name in record_names(dict(zip(NAME_FIELDS, names, strict=True))):
            score = name_score(text, name)
            previous = best.get(person_id)
            if previous is None or score > previous[0]:
                best[person_id] = (score, name)
    top = sorted(best.items(), key=lambda item: (-item[1][0], item[0]))[:limit]
    persons = {
        p.pk: p
        for p in Person.objects.filter(pk__in=[pk for pk, _ in top]).order_by().only(
            "id", "public_id", "display_name", "birth_year", "age_low", "age_high"
        )
    }
    records_by_person: dict[int, list[Record]] = defaultdict(list)
    if detail and persons:
        # Each person's first RECORDS_SHOWN records, in one statement: a large cluster cannot
        # crowd the others' records out.
        numbered = Window(RowNumber(), partition_by=[F("person_id")], order_by=F("id").asc())
        shown = (
            Record.objects.filter(person_id__in=list(persons))
            .select_related("source")
            .only("id", "person_id", "record_id", "source__name", *NAME_FIELDS)
            .annotate(position=numbered)
            .filter(position__lte=RECORDS_SHOWN)
            .order_by("person_id", "id")
        )
        for record in shown:
            records_by_person[record.person_id].append(record)
    results = []
    for person_pk, (score, name) in top:
        person = persons.get(person_pk)
        if person is None:  # erased or merged away since the candidates were read
            continue
        why: tuple[str, ...] = ()
        if detail:
            explained = name_similarity(text, name).explanation
            why = tuple(f"{part}: {a} ~ {b} ({agreement})" for part, a, b, agreement in explained)
        results.append(
            SearchResult(
                person_id=person.public_id,
                display_name=person.display_name,
                score=score,
                records=[
                    {"source": r.source.name, "record_id": r.record_id, "full_name": r.name_as_written()}
                    for r in records_by_person[person_pk]
                ],
                why=why,
                person_pk=person_pk,
                age_band=person.public_age_band(),
            )
        )
    return results
