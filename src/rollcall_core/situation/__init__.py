"""The situation picture's pure logic: claim checks, contradictions, ACLED CSV, SVG charts and maps.

Plain data in, plain data out; no Django here (the app persists, this module reasons).
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from html import escape
from urllib.parse import urlsplit

METRICS = (
    "killed",
    "injured",
    "missing",
    "located",
    "displaced",
    "evacuated",
    "sheltered",
    "crossed",
    "detained",
    "population",
)
SCOPES = ("all", "civilian", "military")
CLAIM_STATUSES = ("reported", "corroborated", "contested", "retracted")
DATE_PRECISIONS = ("day", "week", "month", "year")  # ACLED time_precision 1/2/3, UCDP date_prec

# HXL hashtags per metric (HXL standard core hashtags, https://hxlstandard.org/standard/1-1final/dictionary/)
HXL_METRIC_TAGS = {
    "killed": "#affected+killed",
    "injured": "#affected+injured",
    "missing": "#affected+missing",
    "displaced": "#affected+displaced",
    "evacuated": "#affected+evacuated",
    "sheltered": "#affected+sheltered",
    "crossed": "#affected+crossed",
    "detained": "#affected+detained",
    "located": "#affected+located",
    "population": "#population",
}


class InvalidInput(ValueError):
    """A claim, event or row that cannot be accepted; the message says why, for a person to read."""


def check_url(url: str) -> str:
    """Accept only http(s) citation URLs: a javascript: or data: link in a report is an attack."""
    url = (url or "").strip()
    if not url:
        return ""
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        raise InvalidInput(f"citation URL must start with http:// or https:// (got {url[:40]!r})")
    return url


def check_figures(low: int | None, best: int | None, high: int | None) -> None:
    given = [v for v in (low, best, high) if v is not None]
    if not given:
        raise InvalidInput("a claim needs at least one figure (low, best or high)")
    if any(v < 0 for v in given):
        raise InvalidInput("figures cannot be negative")
    if low is not None and high is not None and low > high:
        raise InvalidInput(f"low ({low}) is greater than high ({high})")
    if best is not None and low is not None and best < low:
        raise InvalidInput(f"best ({best}) is below low ({low})")
    if best is not None and high is not None and best > high:
        raise InvalidInput(f"best ({best}) is above high ({high})")


def check_times(as_of: datetime, reported_at: datetime) -> None:
    if as_of > reported_at:
        raise InvalidInput("the as-of time is after the time reported: a source cannot report the future")


def creates_cycle(claim_id: int | None, revises_id: int | None, parent_of: Mapping[int, int | None]) -> bool:
    """True when letting `claim_id` revise `revises_id` would close a loop in the revision chain."""
    if revises_id is None:
        return False
    if claim_id is not None and revises_id == claim_id:
        return True
    seen: set[int] = set()
    node: int | None = revises_id
    while node is not None and node not in seen:
        if claim_id is not None and node == claim_id:
            return True
        seen.add(node)
        node = parent_of.get(node)
    return node is not None  # an existing loop also counts


@dataclass(frozen=True)
class ClaimView:
    """What contradiction checks need to know about one claim."""

    id: int
    metric: str
    source: str
    scope_place: str
    scope: str
    as_of: datetime
    value: int | None  # the best figure, else low (a "more than N" claim), else high
    status: str = "reported"
    asserts_open: str = ""  # a place key the source says is open to pass (a corridor)


@dataclass(frozen=True)
class Contradiction:
    kind: str
    claim_ids: tuple[int, ...]
    explanation: str


def figure(low: int | None, best: int | None, high: int | None) -> int | None:
    return best if best is not None else (low if low is not None else high)


def find_contradictions(
    claims: Sequence[ClaimView],
    *,
    ratio: float = 2.0,
    window_hours: float = 24.0,
) -> list[Contradiction]:
    """Flag (a) a corridor claimed open while a source counts zero crossings through it, and
    (b) two sources whose figures for the same metric, scope and day differ by more than `ratio` times."""
    live = [c for c in claims if c.status != "retracted"]
    out: list[Contradiction] = []
    crossings_zero = [c for c in live if c.metric == "crossed" and c.value == 0]
    for opener in (c for c in live if c.asserts_open):
        for zero in crossings_zero:
            if zero.scope_place == opener.asserts_open:
                out.append(
                    Contradiction(
                        "corridor",
                        (opener.id, zero.id),
                        f"{opener.source} says {opener.asserts_open} is open, but {zero.source} reports no one has crossed",
                    )
                )
    figures = [c for c in live if not c.asserts_open]
    for i, a in enumerate(figures):
        for b in figures[i + 1 :]:
            if (a.metric, a.scope_place, a.scope) != (
                b.metric,
                b.scope_place,
                b.scope,
            ) or a.source == b.source:
                continue
            if a.value is None or b.value is None:
                continue
            if abs((a.as_of - b.as_of).total_seconds()) > window_hours * 3600:
                continue
            small, large = sorted((a.value, b.value))
            if large > 0 and (small == 0 or large / small > ratio):
                out.append(
                    Contradiction(
                        "far_apart",
                        (a.id, b.id),
                        f"{a.source} says {a.value:,} and {b.source} says {b.value:,} {a.metric} for the same scope and time",
                    )
                )
    return out


# ---- ACLED CSV --------------------------------------------------------------------------------
# Column names from the ACLED Codebook (2023), "Export format"; UCDP GED's best/low/high
# fatality estimates are kept in extra columns a plain ACLED reader ignores.
ACLED_COLUMNS = (
    "event_id_cnty",
    "event_date",
    "year",
    "time_precision",
    "disorder_type",
    "event_type",
    "sub_event_type",
    "actor1",
    "actor2",
    "country",
    "admin1",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "source_scale",
    "notes",
    "fatalities",
    "fatalities_low",
    "fatalities_high",
)
REQUIRED_ACLED = ("event_date", "event_type", "location")
PRECISION_FROM_ACLED = {"1": "day", "2": "week", "3": "month"}
PRECISION_TO_ACLED = {"day": "1", "week": "2", "month": "3", "year": "3"}


@dataclass(frozen=True)
class EventRow:
    line: int
    external_id: str
    occurred_on: date
    precision: str
    event_type: str
    sub_event_type: str
    actors: tuple[str, ...]
    location: str
    lat: float | None
    lon: float | None
    sources: tuple[str, ...]
    notes: str
    fatalities_low: int | None
    fatalities_best: int | None
    fatalities_high: int | None
    country: str = ""
    admin1: str = ""


@dataclass(frozen=True)
class RowError:
    line: int
    reason: str


@dataclass
class AcledParse:
    rows: list[EventRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)


def _int(text: str, name: str) -> int | None:
    text = text.strip()
    if not text:
        return None
    try:
        value = int(float(text))
    except ValueError:
        raise InvalidInput(f"{name} is not a number: {text[:30]!r}") from None
    if value < 0:
        raise InvalidInput(f"{name} cannot be negative")
    return value


def _float(text: str, name: str, bound: float) -> float | None:
    text = text.strip()
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        raise InvalidInput(f"{name} is not a number: {text[:30]!r}") from None
    if not math.isfinite(value) or abs(value) > bound:
        raise InvalidInput(f"{name} is out of range: {text[:30]!r}")
    return value


def _date(text: str) -> date:
    text = text.strip()
    for parse in (date.fromisoformat, lambda t: datetime.strptime(t, "%d %B %Y").date()):
        try:
            return parse(text)
        except ValueError:
            continue
    raise InvalidInput(f"event_date is not a date (YYYY-MM-DD or '21 September 2023'): {text[:30]!r}")


def parse_acled(text: str, *, today: date) -> AcledParse:
    """Read an ACLED-format CSV; each bad row becomes a RowError with its line number, good rows are kept."""
    result = AcledParse()
    reader = csv.reader(io.StringIO(text))
    try:
        header = [h.strip().lower() for h in next(reader)]
    except StopIteration:
        result.errors.append(RowError(1, "the file is empty"))
        return result
    missing = [c for c in REQUIRED_ACLED if c not in header]
    if missing:
        result.errors.append(RowError(1, f"the header lacks the ACLED column(s): {', '.join(missing)}"))
        return result
    for line, cells in enumerate(reader, start=2):
        if not any(c.strip() for c in cells):
            continue
        if len(cells) != len(header):
            result.errors.append(RowError(line, f"expected {len(header)} cells, found {len(cells)}"))
            continue
        row = dict(zip(header, cells, strict=True))
        try:
            result.rows.append(_event_row(line, row, today))
        except InvalidInput as exc:
            result.errors.append(RowError(line, str(exc)))
    return result


def _event_row(line: int, row: Mapping[str, str], today: date) -> EventRow:
    for col in REQUIRED_ACLED:
        if not row.get(col, "").strip():
            raise InvalidInput(f"{col} is empty")
    occurred = _date(row["event_date"])
    if occurred > today:
        raise InvalidInput(f"event_date {occurred.isoformat()} is in the future")
    best = _int(row.get("fatalities", ""), "fatalities")
    low = _int(row.get("fatalities_low", ""), "fatalities_low")
    high = _int(row.get("fatalities_high", ""), "fatalities_high")
    if any(v is not None for v in (low, best, high)):
        check_figures(low, best, high)
    precision = PRECISION_FROM_ACLED.get(row.get("time_precision", "").strip() or "1")
    if precision is None:
        raise InvalidInput("time_precision must be 1, 2 or 3")
    actors = tuple(a.strip() for a in (row.get("actor1", ""), row.get("actor2", "")) if a.strip())
    sources = tuple(s.strip() for s in row.get("source", "").split(";") if s.strip())
    return EventRow(
        line=line,
        external_id=row.get("event_id_cnty", "").strip(),
        occurred_on=occurred,
        precision=precision,
        event_type=row["event_type"].strip(),
        sub_event_type=row.get("sub_event_type", "").strip(),
        actors=actors,
        location=row["location"].strip(),
        lat=_float(row.get("latitude", ""), "latitude", 90),
        lon=_float(row.get("longitude", ""), "longitude", 180),
        sources=sources,
        notes=row.get("notes", "").strip(),
        fatalities_low=low,
        fatalities_best=best,
        fatalities_high=high,
        country=row.get("country", "").strip(),
        admin1=row.get("admin1", "").strip(),
    )


def write_acled(rows: Iterable[Mapping[str, object]]) -> str:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=ACLED_COLUMNS, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: ("" if v is None else v) for k, v in row.items()})
    return buf.getvalue()


# ---- SVG --------------------------------------------------------------------------------------
PALETTE = ("#1f5f8b", "#b34d00", "#2e7d32", "#7b1fa2", "#c62828", "#455a64", "#8d6e00")


@dataclass(frozen=True)
class Series:
    label: str
    points: tuple[tuple[datetime, float], ...]
    dashed: bool = False


def line_chart_svg(title: str, series: Sequence[Series], *, width: int = 560, height: int = 220) -> str:
    """A small, self-contained line chart (one line per source); no JavaScript, prints well."""
    pts = [p for s in series for p in s.points]
    head = f'<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {width} {height}" width="{width}" height="{height}" aria-label="{escape(title)}">'
    head += f"<title>{escape(title)}</title>"
    if not pts:
        return head + f'<text x="10" y="20" font-size="12">{escape(title)}: no data</text></svg>'
    left, right, top, bottom = 60, 150, 24, 30
    t0 = min(p[0] for p in pts).timestamp()
    t1 = max(p[0] for p in pts).timestamp()
    vmax = max(max(p[1] for p in pts), 1.0)
    span = (t1 - t0) or 1.0

    def x(t: datetime) -> float:
        return (
            left + (t.timestamp() - t0) / span * (width - left - right)
            if t1 > t0
            else left + (width - left - right) / 2
        )

    def y(v: float) -> float:
        return height - bottom - v / vmax * (height - top - bottom)

    parts = [head, f'<text x="{left}" y="14" font-size="12" font-weight="bold">{escape(title)}</text>']
    parts.append(
        f'<line x1="{left}" y1="{height - bottom}" x2="{width - right}" y2="{height - bottom}" stroke="#555"/>'
    )
    parts.append(f'<line x1="{left}" y1="{top}" x2="{left}" y2="{height - bottom}" stroke="#555"/>')
    for frac in (0, 0.5, 1) if vmax >= 2 else (0, 1):
        v = vmax * frac
        parts.append(
            f'<text x="{left - 4}" y="{y(v) + 4:.1f}" font-size="10" text-anchor="end">{v:,.0f}</text>'
        )
    parts.append(
        f'<text x="{left}" y="{height - 10}" font-size="10">{min(p[0] for p in pts):%d %b %H:%M}</text>'
    )
    parts.append(
        f'<text x="{width - right}" y="{height - 10}" font-size="10" text-anchor="end">{max(p[0] for p in pts):%d %b %H:%M}</text>'
    )
    for i, s in enumerate(series):
        colour = PALETTE[i % len(PALETTE)]
        ordered = sorted(s.points)
        coords = " ".join(f"{x(t):.1f},{y(v):.1f}" for t, v in ordered)
        dash = ' stroke-dasharray="5,3"' if s.dashed else ""
        if len(ordered) > 1:
            parts.append(
                f'<polyline fill="none" stroke="{colour}" stroke-width="2"{dash} points="{coords}"/>'
            )
        for t, v in ordered:
            parts.append(
                f'<circle cx="{x(t):.1f}" cy="{y(v):.1f}" r="3" fill="{colour}"><title>{escape(s.label)}: {v:,.0f}</title></circle>'
            )
        ly = top + 14 * i + 6
        parts.append(f'<rect x="{width - right + 8}" y="{ly - 8}" width="10" height="10" fill="{colour}"/>')
        parts.append(f'<text x="{width - right + 22}" y="{ly}" font-size="10">{escape(s.label[:24])}</text>')
    parts.append("</svg>")
    return "".join(parts)


@dataclass(frozen=True)
class MapPoint:
    label: str
    lat: float
    lon: float
    kind: str = ""
    emphasis: bool = False


def map_svg(points: Sequence[MapPoint], *, width: int = 560, height: int = 420, title: str = "Places") -> str:
    """Places drawn from their coordinates (equirectangular, scaled by cos(latitude)); needs no tiles."""
    head = f'<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {width} {height}" width="{width}" height="{height}" aria-label="{escape(title)}"><title>{escape(title)}</title>'
    if not points:
        return head + "</svg>"
    pad, right_pad = 30, 110  # room on the right for the easternmost labels (Yevlakh)
    lat0, lat1 = min(p.lat for p in points), max(p.lat for p in points)
    lon0, lon1 = min(p.lon for p in points), max(p.lon for p in points)
    kx = math.cos(math.radians((lat0 + lat1) / 2))
    scale = min(
        (width - pad - right_pad) / max((lon1 - lon0) * kx, 1e-6), (height - 2 * pad) / max(lat1 - lat0, 1e-6)
    )
    parts = [head, f'<rect width="{width}" height="{height}" fill="#f4f1ea" stroke="#999"/>']
    for p in sorted(points, key=lambda q: q.emphasis):
        px = pad + (p.lon - lon0) * kx * scale
        py = height - pad - (p.lat - lat0) * scale
        r = 5 if p.emphasis else 3
        colour = "#b34d00" if p.emphasis else "#1f5f8b"
        parts.append(
            f'<circle cx="{px:.1f}" cy="{py:.1f}" r="{r}" fill="{colour}"><title>{escape(p.label)}</title></circle>'
        )
        if p.emphasis or p.kind not in (
            "village",
        ):  # villages stay dots (named on hover) so labels do not pile up
            parts.append(
                f'<text x="{px + 6:.1f}" y="{py + 3:.1f}" font-size="{10 if p.emphasis else 8}">{escape(p.label)}</text>'
            )
    parts.append(
        f'<text x="{width - 8}" y="{height - 8}" font-size="9" text-anchor="end">N ↑ · {lat0:.2f}–{lat1:.2f}°N, {lon0:.2f}–{lon1:.2f}°E</text>'
    )
    parts.append("</svg>")
    return "".join(parts)
