"""Reading lists: CSV (any common encoding and delimiter), XLSX, HXL-tagged CSV and PFIF XML.

`open_table` looks at the file, says what it is (TableInfo) and streams its rows: accepted
rows in canonical fields, rejected rows with line, field and reason. File-level problems
raise FormatError with a reason a clerk can act on.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import zipfile
from collections.abc import Collection, Iterator, Mapping
from pathlib import Path
from typing import IO

from rollcall_core.formats import hxl
from rollcall_core.formats.model import FormatError, ParsedRow, RejectedRow, TableInfo
from rollcall_core.formats.values import map_header, validate_fields
from rollcall_core.schema import CANONICAL_COLUMNS

FORMATS = ("auto", "csv", "xlsx", "pfif", "hxl")
# In a column_map, a column mapped to this is kept with each record as extra data, not read into a
# canonical field, even when its header is one rollcall recognises ("Дата" holding a bed number).
KEEP_AS_EXTRA = ""
SAMPLE_BYTES = 1 << 20
# An XLSX whose parts would expand beyond this is refused before it is opened (zip bombs).
XLSX_MAX_UNCOMPRESSED = 512 * 1024 * 1024
XLSX_MAX_RATIO = 200
MAX_CELL_CHARS = 100_000
csv.field_size_limit(MAX_CELL_CHARS * 10)


def _sniff_kind(head: bytes) -> str:
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"PK\x03\x04"):
        return "zip"
    if head.startswith(b"%PDF"):
        return "pdf"
    if head.startswith((b"\xd0\xcf\x11\xe0",)):
        return "xls"
    if stripped.startswith(b"<"):
        return "xml"
    return "text"


def _looks_like_cp1251(sample: bytes) -> bool:
    """Windows-1251 puts Cyrillic letters at 0xC0-0xFF, so Cyrillic words are runs of such bytes.

    Western single-byte text (Windows-1252: José, Müller) has its accented letters at the same
    bytes but alone between ASCII letters; requiring runs keeps it from being read as Cyrillic.
    """
    high = [b for b in sample if b >= 0x80]
    letters = [i for i, b in enumerate(sample) if b >= 0xC0]
    if not high or len(letters) / len(high) <= 0.6:
        return False
    in_runs = sum(
        1
        for i in letters
        if (i > 0 and sample[i - 1] >= 0xC0) or (i + 1 < len(sample) and sample[i + 1] >= 0xC0)
    )
    return in_runs / len(letters) > 0.5


def _detect_encoding(sample: bytes) -> str:
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    controls = sum(1 for b in sample if b < 0x20 and b not in b"\t\n\r\x0c")
    if controls > 16 and controls > 0.05 * len(sample):
        # Text lists hold few control bytes; images, archives and executables are full of them.
        raise FormatError(
            f"the file is binary, not a text list ({controls:,} control bytes in the first {len(sample):,})"
        )
    try:
        # A multi-byte character may be cut at the sample's end: decode incrementally, not final.
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=False)
        return "utf-8"
    except UnicodeDecodeError:
        pass
    if _looks_like_cp1251(sample):
        return "cp1251"
    try:
        # Latin lists from Western spreadsheets (shelter registrations in Latin spellings) are
        # Windows-1252; guessers confuse it with 1250 on short samples (Genève -> Genčve).
        sample.decode("cp1252")
        return "cp1252"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(sample).best()
    if best is not None and best.encoding:
        return str(best.encoding)
    raise FormatError("the file's text encoding could not be recognised (save it as UTF-8 CSV)")


def _detect_delimiter(first_line: str) -> str:
    counts = {d: 0 for d in (",", ";", "\t", "|")}
    quoted = False
    for ch in first_line:
        if ch == '"':
            quoted = not quoted
        elif not quoted and ch in counts:
            counts[ch] += 1
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _unique_headers(cells: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    headers = []
    for index, cell in enumerate(cells, start=1):
        name = cell.strip().lstrip("\ufeff") or f"column {index}"
        if name in seen:
            seen[name] += 1
            name = f"{name} ({seen[name]})"
        else:
            seen[name] = 1
        headers.append(name)
    return headers


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


class Table:
    """A list file opened for reading. Iterate `rows()` once; `bytes_read`/`total_bytes` give progress."""

    def __init__(
        self,
        path: Path,
        info: TableInfo,
        column_map: Mapping[str, str],
        pfif_domains: Collection[str] | None = None,
    ) -> None:
        self.path = path
        self.pfif_domains = frozenset(pfif_domains) if pfif_domains is not None else None
        self.info = info
        self.total_bytes = path.stat().st_size
        self.bytes_read = 0
        self._column_map = dict(column_map)

    def rows(self) -> Iterator[ParsedRow | RejectedRow]:
        if self.info.format == "pfif":
            from rollcall_core.formats.pfif import read_pfif_rows

            yield from read_pfif_rows(self)
            return
        for line, cells in self._cells():
            yield self._row(line, cells)
        self.bytes_read = self.total_bytes

    # -- shared row logic ---------------------------------------------------------------

    def _row(self, line: int, cells: list[str]) -> ParsedRow | RejectedRow:
        headers = self.info.headers
        raw = {h: (cells[i] if i < len(cells) else "") for i, h in enumerate(headers)}
        surplus = [c for c in cells[len(headers) :] if c.strip()]
        if surplus:
            return RejectedRow(
                line, "", f"the row has {len(cells)} cells but the header has {len(headers)} columns", raw
            )
        too_long = next((h for h, v in raw.items() if len(v) > MAX_CELL_CHARS), None)
        if too_long is not None:
            return RejectedRow(line, too_long, f"the cell is longer than {MAX_CELL_CHARS:,} characters", raw)
        fields: dict[str, str] = {}
        extra: dict[str, str] = {}
        for header, value in raw.items():
            column = self.info.mapping.get(header)
            if column and not fields.get(column):
                fields[column] = value
            elif value.strip():
                extra[header] = value
        clean, problems = validate_fields(fields)
        if problems:
            return RejectedRow(line, problems[0][0], "; ".join(reason for _, reason in problems), raw)
        return ParsedRow(line=line, raw=raw, fields=clean, extra=extra)

    # -- cells of each format --------------------------------------------------------------

    def _cells(self) -> Iterator[tuple[int, list[str]]]:
        if self.info.format == "xlsx":
            yield from self._xlsx_cells()
        else:
            yield from self._csv_cells()

    def _csv_cells(self) -> Iterator[tuple[int, list[str]]]:
        skip = 2 if self.info.format == "hxl" else 1
        with self.path.open("rb") as binary:
            reader = csv.reader(self._decoded_lines(binary), delimiter=self.info.delimiter)
            previous_end = 0
            try:
                for logical, cells in enumerate(reader, start=1):
                    start = previous_end + 1
                    previous_end = reader.line_num
                    if logical <= skip:
                        continue
                    self.bytes_read = binary.tell()
                    if not any(c.strip() for c in cells):
                        continue
                    yield start, cells
            except csv.Error as error:
                raise FormatError(f"line {reader.line_num}: the CSV is broken ({error})") from None

    def _decoded_lines(self, binary: IO[bytes]) -> Iterator[str]:
        """Text lines, decoded one physical line at a time so that a bad byte is reported on its own line."""
        encoding = self.info.encoding
        if encoding.startswith("utf-16"):
            # A UTF-16 newline is two bytes: let the codec split the lines.
            text = io.TextIOWrapper(binary, encoding=encoding, errors="strict", newline="")
            try:
                yield from text
            except UnicodeDecodeError as error:
                raise FormatError(f"bytes that are not {encoding} text ({error.reason})") from None
            return
        for number, raw in enumerate(binary, start=1):
            try:
                yield raw.decode("utf-8-sig" if number == 1 and encoding == "utf-8-sig" else encoding)
            except UnicodeDecodeError as error:
                raise FormatError(
                    f"line {number}, byte {error.start + 1}: bytes that are not {encoding} text ({error.reason}); "
                    "save the file as UTF-8 and import it again"
                ) from None

    def _xlsx_cells(self) -> Iterator[tuple[int, list[str]]]:
        workbook = _open_workbook(self.path)
        try:
            sheet = workbook[self.info.sheet]
            for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
                if number == 1:
                    continue
                cells = [_cell_text(v) for v in values]
                if any(c.strip() for c in cells):
                    yield number, cells
        finally:
            workbook.close()


def _check_zip_bomb(path: Path) -> None:
    try:
        with zipfile.ZipFile(path) as archive:
            if not any(name.startswith("xl/") for name in archive.namelist()):
                raise FormatError("the file is a zip archive but not an XLSX workbook (it has no xl/ part)")
            total = 0
            for entry in archive.infolist():
                total += entry.file_size
                ratio = entry.file_size / max(entry.compress_size, 1)
                if entry.file_size > 1 << 20 and ratio > XLSX_MAX_RATIO:
                    raise FormatError(
                        f"the XLSX part {entry.filename} expands {ratio:.0f} times: refused as a zip bomb"
                    )
            if total > XLSX_MAX_UNCOMPRESSED:
                raise FormatError(f"the XLSX would expand to {total / 2**20:.0f} MiB: refused as too large")
    except zipfile.BadZipFile:
        raise FormatError("the file is not a valid XLSX (a damaged zip archive)") from None


def _open_workbook(path: Path):  # type: ignore[no-untyped-def]
    import openpyxl

    _check_zip_bomb(path)
    try:
        return openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # noqa: BLE001 - openpyxl raises many kinds for broken files
        raise FormatError(f"the XLSX could not be read ({type(error).__name__}: {error})") from None


def _resolve_mapping(
    headers: list[str], column_map: Mapping[str, str], tags: list[str] | None
) -> dict[str, str]:
    unknown = [c for c in column_map if c not in headers]
    if unknown:
        raise FormatError(
            f"--map names column {unknown[0]!r}, which the file does not have; its columns are: {', '.join(headers)}"
        )
    bad = [f for f in column_map.values() if f != KEEP_AS_EXTRA and f not in CANONICAL_COLUMNS]
    if bad:
        raise FormatError(
            f"--map: {bad[0]!r} is not a rollcall column; use one of {', '.join(CANONICAL_COLUMNS)}, "
            "or nothing (COLUMN=) to keep the column as extra data"
        )
    mapping: dict[str, str] = {}
    claimed = set(column_map.values()) - {KEEP_AS_EXTRA}
    for index, header in enumerate(headers):
        if header in column_map:
            if column_map[header] != KEEP_AS_EXTRA:
                mapping[header] = column_map[header]
            continue
        guess = hxl.canonical_for_tag(tags[index]) if tags and index < len(tags) else None
        guess = guess or map_header(header)
        if guess and guess not in claimed and guess not in mapping.values():
            mapping[header] = guess
    return mapping


def _read_header_text(path: Path, encoding: str) -> tuple[str, list[list[str]]]:
    """The first line (for the delimiter) and the first two rows (header, maybe HXL tags)."""
    with path.open("r", encoding=encoding, errors="replace", newline="") as handle:
        head = handle.read(SAMPLE_BYTES)
    first_line = head.splitlines()[0] if head.splitlines() else ""
    delimiter = _detect_delimiter(first_line)
    rows = []
    try:
        for row in csv.reader(io.StringIO(head), delimiter=delimiter):
            rows.append(row)
            if len(rows) == 2:
                break
    except csv.Error as error:
        raise FormatError(f"the first lines are not readable CSV ({error})") from None
    return delimiter, rows


def open_table(
    path: str | Path,
    *,
    format: str = "auto",
    column_map: Mapping[str, str] | None = None,
    sheet: str | None = None,
    pfif_domains: Collection[str] | None = None,
) -> Table:
    """Open a list for streaming. `column_map` ({header: canonical field}) overrides the guessed
    mapping; a header mapped to KEEP_AS_EXTRA ("") is kept as extra data even if it is recognised.
    `pfif_domains`, when given, rejects PFIF persons whose
    person_record_id is not `<one of these domains>/...`; by default any domain is accepted."""
    path = Path(path)
    if format not in FORMATS:
        raise FormatError(f"unknown format {format!r}; use one of {', '.join(FORMATS)}")
    column_map = dict(column_map or {})
    requested = format
    try:
        size = path.stat().st_size
        with path.open("rb") as handle:
            head = handle.read(SAMPLE_BYTES)
    except OSError as error:
        raise FormatError(f"the file cannot be read ({error.strerror})") from None
    if size == 0 or not head.strip(b"\xef\xbb\xbf\xff\xfe \t\r\n\x00"):
        raise FormatError("the file is empty")
    kind = _sniff_kind(head)
    suffix = path.suffix.lower()
    if format == "auto":
        if kind == "zip":
            format = "xlsx"
        elif kind == "xml":
            format = "pfif"
        elif kind in {"pdf", "xls"}:
            raise FormatError(f"this is a {kind.upper()} file; export the list as CSV or XLSX first")
        else:
            format = "csv"
    elif format in {"csv", "hxl"} and kind != "text":
        what = {
            "zip": "an XLSX or zip file",
            "pdf": "a PDF",
            "xls": "an old Excel .xls file",
            "xml": "an XML file",
        }[kind]
        raise FormatError(
            f"the file is {what}, not CSV (its name ends in {suffix or 'nothing'}); use --format auto"
        )
    elif format == "xlsx" and kind != "zip":
        raise FormatError("the file is not an XLSX workbook (no zip signature)")
    elif format == "pfif" and kind != "xml":
        raise FormatError("the file is not PFIF XML (it does not start with '<')")

    if format == "pfif":
        from rollcall_core.formats.pfif import pfif_info

        return Table(path, pfif_info(path), column_map, pfif_domains)
    if format == "xlsx":
        workbook = _open_workbook(path)
        try:
            if sheet is not None and sheet not in workbook.sheetnames:
                raise FormatError(f"no sheet {sheet!r}; the sheets are: {', '.join(workbook.sheetnames)}")
            name = sheet or workbook.sheetnames[0]
            first = next(workbook[name].iter_rows(values_only=True, max_row=1), ())
        finally:
            workbook.close()
        headers = _unique_headers([_cell_text(v) for v in first])
        if not any(h for h in first):
            raise FormatError(f"sheet {name!r} has no header row")
        mapping = _resolve_mapping(headers, column_map, None)
        info = TableInfo(
            "xlsx", "", "", tuple(headers), mapping, tuple(h for h in headers if h not in mapping), sheet=name
        )
        return Table(path, info, column_map)

    encoding = _detect_encoding(head)
    delimiter, rows = _read_header_text(path, encoding)
    if not rows or not any(c.strip() for c in rows[0]):
        raise FormatError("the first line is empty: rollcall needs a header row naming the columns")
    headers = _unique_headers(rows[0])
    tags = rows[1] if requested != "csv" and len(rows) > 1 and hxl.is_tag_row(rows[1]) else None
    # Guessing HXL from a plain list must not swallow a first person named "#A": in auto mode the
    # tag row must name at least one column rollcall knows. format="csv" never reads a tag row.
    if (
        requested == "auto"
        and tags is not None
        and not any(hxl.canonical_for_tag(t) for t in tags if t.strip())
    ):
        tags = None
    if format == "hxl" and tags is None:
        if hxl.is_tag_row(rows[0]):
            raise FormatError("the HXL tag row must be the second line, below a header row")
        raise FormatError("line 2 is not an HXL tag row (cells like #affected+name)")
    if tags is not None:
        format = "hxl"
    mapping = _resolve_mapping(headers, column_map, tags)
    info = TableInfo(
        format, encoding, delimiter, tuple(headers), mapping, tuple(h for h in headers if h not in mapping)
    )
    return Table(path, info, column_map)
