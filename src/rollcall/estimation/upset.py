"""An UpSet-style plot of how lists overlap, as self-contained SVG: no script, prints, works offline.

Each column is one combination of lists (a capture pattern); its bar is how many people are on
exactly those lists, and the dots below say which lists. With many lists this reads far better
than a Venn diagram (Lex et al. 2014). Accessible: a title and a description that states the
largest combinations in words; pages show a table with the same numbers beside it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from html import escape

BAR = "#1f5f8b"
OTHER = "#8a8a8a"
OFF = "#d4d4d4"
INK = "#111111"
MUTED = "#555555"


@dataclass(frozen=True)
class Column:
    """People on exactly the lists in `pattern` ("101": on the 1st and 3rd); pattern "" is folded cells."""

    pattern: str
    count: int
    label: str = ""


def _clip(text: str, chars: int) -> str:
    return text if len(text) <= chars else text[: chars - 1] + "…"


def upset_svg(
    lists: Sequence[str],
    columns: Sequence[Column],
    *,
    title: str,
    description: str,
    uid: str,
    set_sizes: Mapping[str, int] | None = None,
    other_label: str = "other",
    bars_label: str = "people",
    sizes_label: str = "on the list",
) -> str:
    """The plot; `uid` makes the title and description ids unique on a page with several plots."""
    label_chars = min(max((len(n) for n in lists), default=4), 40)
    label_right = 8 + label_chars * 6.9  # list names end here, right-aligned
    size_w = 50  # the longest list's bar, when list sizes are shown; its number follows it
    left = label_right + (size_w + 48 if set_sizes else 12)  # the first column's left edge
    col_w, row_h, bar_h, top = 36, 24, 150, 40
    width = int(left + col_w * max(len(columns), 1) + 16)
    matrix_top = top + bar_h + 24
    height = int(matrix_top + row_h * len(lists) + (30 if any(not c.pattern for c in columns) else 8))
    peak = max((c.count for c in columns), default=1) or 1
    uid = escape(uid)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" class="upset" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" aria-labelledby="{uid}-title {uid}-desc" font-family="sans-serif">',
        f'<title id="{uid}-title">{escape(title)}</title><desc id="{uid}-desc">{escape(description)}</desc>',
        f'<text x="4" y="16" font-size="14" font-weight="bold" fill="{INK}">{escape(_clip(title, 100))}</text>',
    ]
    base = top + bar_h
    out.append(f'<line x1="{left:.0f}" y1="{base}" x2="{width - 8}" y2="{base}" stroke="{MUTED}"/>')
    out.append(
        f'<text x="{left - 6:.0f}" y="{top + 10}" font-size="11" text-anchor="end" fill="{MUTED}">'
        f"{escape(bars_label)}</text>"
    )
    for i, column in enumerate(columns):
        x = left + col_w * i + col_w / 2
        h = bar_h * column.count / peak
        colour = OTHER if not column.pattern else BAR
        out.append(
            f'<rect x="{x - 12:.1f}" y="{base - h:.1f}" width="24" height="{h:.1f}" fill="{colour}">'
            f"<title>{escape(column.label)}: {column.count}</title></rect>"
        )
        out.append(
            f'<text x="{x:.1f}" y="{base - h - 4:.1f}" font-size="12" text-anchor="middle" fill="{INK}">{column.count}</text>'
        )
    if set_sizes:
        out.append(
            f'<text x="{label_right + 8:.0f}" y="{matrix_top - 16}" font-size="11" fill="{MUTED}">{escape(sizes_label)}</text>'
        )
    biggest = (max(set_sizes.values(), default=1) or 1) if set_sizes else 1
    for r, name in enumerate(lists):
        y = matrix_top + row_h * r
        if r % 2 == 0:
            out.append(
                f'<rect x="4" y="{y - row_h / 2:.1f}" width="{width - 8}" height="{row_h}" fill="#f1f1f1"/>'
            )
        out.append(
            f'<text x="{label_right:.1f}" y="{y + 4:.1f}" font-size="12" text-anchor="end" '
            f'fill="{INK}">{escape(_clip(name, 40))}<title>{escape(name)}</title></text>'
        )
        if set_sizes:
            size = set_sizes.get(name, 0)
            w = size_w * size / biggest
            out.append(f'<rect x="{label_right + 8:.1f}" y="{y - 6:.1f}" width="{w:.1f}" height="12" fill="{MUTED}">'
                       f"<title>{escape(name)}: {size}</title></rect>")  # fmt: skip
            out.append(
                f'<text x="{label_right + 12 + w:.1f}" y="{y + 4:.1f}" font-size="11" fill="{INK}">{size}</text>'
            )
    for i, column in enumerate(columns):
        x = left + col_w * i + col_w / 2
        if not column.pattern:
            out.append(
                f'<text x="{x:.1f}" y="{matrix_top + row_h * (len(lists) - 1) / 2 + 4:.1f}" font-size="16" '
                f'text-anchor="middle" fill="{OTHER}">?</text>'
            )
            continue
        on = [r for r, bit in enumerate(column.pattern) if bit == "1"]
        if len(on) > 1:
            out.append(
                f'<line x1="{x:.1f}" y1="{matrix_top + row_h * on[0]}" x2="{x:.1f}" '
                f'y2="{matrix_top + row_h * on[-1]}" stroke="{INK}" stroke-width="3"/>'
            )
        for r in range(len(lists)):
            fill = INK if r in on else OFF
            out.append(f'<circle cx="{x:.1f}" cy="{matrix_top + row_h * r}" r="6" fill="{fill}"/>')
    if any(not c.pattern for c in columns):
        out.append(
            f'<text x="{width - 8}" y="{height - 8}" font-size="11" text-anchor="end" fill="{MUTED}">'
            f"? = {escape(other_label)}</text>"
        )
    out.append("</svg>")
    return "".join(out)
