"""Reading and writing lists: CSV, XLSX, PFIF 1.1-1.4 XML and HXL-tagged CSV. Pure Python."""

from rollcall_core.formats.model import FormatError, ParsedRow, PfifNote, PfifPerson, RejectedRow, TableInfo
from rollcall_core.formats.pfif import write_pfif
from rollcall_core.formats.table import FORMATS, KEEP_AS_EXTRA, Table, open_table
from rollcall_core.formats.values import map_header, validate_fields
from rollcall_core.formats.writers import safe_cell, write_csv, write_hxl

__all__ = [
    "FORMATS",
    "FormatError",
    "KEEP_AS_EXTRA",
    "ParsedRow",
    "PfifNote",
    "PfifPerson",
    "RejectedRow",
    "Table",
    "TableInfo",
    "map_header",
    "open_table",
    "safe_cell",
    "validate_fields",
    "write_csv",
    "write_hxl",
    "write_pfif",
]
