"""CSV and HXL writers whose cells are safe to open in a spreadsheet.

Formula injection (OWASP, "CSV Injection"): a cell starting with = + - @, a tab or a carriage
return may be run as a formula by Excel, LibreOffice or Google Sheets. Such cells get a
leading apostrophe, which spreadsheets show as text and hide. A plain number such as -4 or
+374 99 000000 is also prefixed: a phone number beginning with + is exactly what an attacker
would imitate, and the apostrophe costs a reader nothing.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping, Sequence
from typing import IO

from rollcall_core.formats.hxl import CANONICAL_TO_HXL

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> str:
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_TRIGGERS):
        return "'" + text
    return text


def write_csv(rows: Iterable[Mapping[str, object]], columns: Sequence[str], out: IO[str]) -> int:
    writer = csv.writer(out)
    writer.writerow([safe_cell(c) for c in columns])
    count = 0
    for row in rows:
        writer.writerow([safe_cell(row.get(c, "")) for c in columns])
        count += 1
    return count


def write_hxl(rows: Iterable[Mapping[str, object]], columns: Sequence[str], out: IO[str]) -> int:
    """CSV with an HXL tag row under the header; columns without a known tag get #meta+<name>."""
    writer = csv.writer(out)
    writer.writerow([safe_cell(c) for c in columns])
    writer.writerow(
        [CANONICAL_TO_HXL.get(c, "#meta+" + "".join(ch for ch in c.lower() if ch.isalnum())) for c in columns]
    )
    count = 0
    for row in rows:
        writer.writerow([safe_cell(row.get(c, "")) for c in columns])
        count += 1
    return count
