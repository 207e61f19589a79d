"""Capture-history tables: which lists each observed person is on, counted by pattern."""

from __future__ import annotations

import csv
import io
import math
import numbers
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import IO


class EstimationError(ValueError):
    """A table or a request that cannot give an honest estimate; the message says why."""


MAX_LISTS_LOGLINEAR = 5


@dataclass(frozen=True)
class CaptureTable:
    """Counts of observed people by capture pattern (a tuple of 0/1, one per list)."""

    lists: tuple[str, ...]
    counts: Mapping[tuple[int, ...], int] = field(default_factory=dict)

    @property
    def observed(self) -> int:
        return int(sum(self.counts.values()))

    def list_totals(self) -> dict[str, int]:
        return {name: sum(c for p, c in self.counts.items() if p[i]) for i, name in enumerate(self.lists)}

    @classmethod
    def from_patterns(
        cls, *, lists: list[str] | tuple[str, ...], counts: Mapping[tuple[int, ...], int]
    ) -> CaptureTable:
        lists = tuple(str(name) for name in lists)
        if len(set(lists)) != len(lists):
            raise EstimationError("two lists have the same name")
        clean: dict[tuple[int, ...], int] = {}
        for raw, count in counts.items():
            # Compare values, not their conversions: int(0.5) would quietly read 0.5 as 0.
            if any(x not in (0, 1) for x in raw):
                raise EstimationError(f"pattern {tuple(raw)}: capture patterns are 0/1")
            pattern = tuple(int(x) for x in raw)
            if len(pattern) != len(lists):
                raise EstimationError(
                    f"pattern {pattern} has {len(pattern)} entries but there are {len(lists)} lists"
                )
            if not any(pattern):
                raise EstimationError("the all-zero pattern counts people no list saw: it cannot be observed")
            if isinstance(count, bool) or not isinstance(count, numbers.Real) or not math.isfinite(count) \
                    or count < 0 or int(count) != count:  # fmt: skip
                raise EstimationError(f"pattern {pattern}: count {count!r} is not a whole number of people")
            if pattern in clean:
                raise EstimationError(f"pattern {''.join(map(str, pattern))} appears twice")
            if count:
                clean[pattern] = int(count)
        return cls(lists=lists, counts=MappingProxyType(clean))

    @classmethod
    def from_csv(cls, source: str | Path | IO[str]) -> CaptureTable:
        """Read one 0/1 column per list and a Freq column, as in shared/reference/mse."""
        if isinstance(source, (str, Path)):
            text = Path(source).read_text(encoding="utf-8-sig")
            handle: IO[str] = io.StringIO(text)
        else:
            handle = source
        reader = csv.reader(handle)
        try:
            header = [h.strip() for h in next(reader)]
        except StopIteration:
            raise EstimationError("the table is empty") from None
        freq_columns = [i for i, h in enumerate(header) if h.lower() in {"freq", "frequency", "count", "n"}]
        if len(freq_columns) != 1:
            raise EstimationError("the table needs one Freq column beside the 0/1 list columns")
        freq = freq_columns[0]
        lists = [h for i, h in enumerate(header) if i != freq]
        if len(set(lists)) != len(lists):
            raise EstimationError("two list columns have the same name")
        counts: dict[tuple[int, ...], int] = {}
        for line, row in enumerate(reader, start=2):
            if not any(cell.strip() for cell in row):
                continue
            if len(row) != len(header):
                raise EstimationError(
                    f"row {line}: {len(row)} cells, but the header has {len(header)} columns"
                )
            pattern = []
            for i, cell in enumerate(row):
                if i == freq:
                    continue
                if cell.strip() not in {"0", "1"}:
                    raise EstimationError(f"row {line}, column {header[i]}: {cell!r} is not 0 or 1")
                pattern.append(int(cell))
            raw = row[freq].strip()
            try:
                value = float(raw)
            except ValueError:
                raise EstimationError(f"row {line}, column {header[freq]}: {raw!r} is not a number") from None
            if not math.isfinite(value) or value < 0 or value != int(value):
                raise EstimationError(
                    f"row {line}, column {header[freq]}: {raw} is not a whole number of people"
                )
            key = tuple(pattern)
            if not any(key):
                raise EstimationError(f"row {line}: the all-zero pattern cannot be observed; remove it")
            if key in counts:
                raise EstimationError(f"row {line}: pattern {''.join(map(str, key))} appears twice")
            counts[key] = int(value)
        return cls.from_patterns(lists=lists, counts=counts)

    def check_estimable(self, *, max_lists: int | None = None) -> None:
        """Refuse, with the reason, tables that cannot give an honest estimate."""
        k = len(self.lists)
        if k < 3:
            raise EstimationError(
                f"{k} list(s): multiple systems estimation needs at least 3 lists to allow for dependence between them"
            )
        if max_lists is not None and k > max_lists:
            raise EstimationError(
                f"{k} lists: this method handles at most {max_lists}; use the latent-class method "
                f"(--method lcmcr), which takes many lists, or stratify, or merge or pick lists "
                f"(e.g. the {max_lists} largest)"
            )
        empty = [name for name, total in self.list_totals().items() if total == 0]
        if empty:
            raise EstimationError(f"list {empty[0]!r} has no records in this table")
        if self.observed < 10:
            raise EstimationError(
                f"only {self.observed} people observed: too few for any estimate to mean something"
            )
        overlaps = sum(c for p, c in self.counts.items() if sum(p) >= 2)
        if overlaps == 0:
            raise EstimationError(
                "no one is on two lists: without overlaps the lists say nothing about who they missed"
            )
