"""Situation picture benchmark: ACLED parsing and import, report rendering (HTML, PDF)."""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

HEADER = "event_id_cnty,event_date,time_precision,event_type,sub_event_type,actor1,actor2,location,latitude,longitude,source,notes,fatalities\n"


def acled_text(rows: int, prefix: str) -> str:
    lines = [HEADER]
    for i in range(rows):
        bad = i % 500 == 7
        day = "2023-13-40" if bad else "2023-09-19"
        lines.append(
            f"{prefix}{i},{day},1,Battles,Armed clash,A,B,Stepanakert,39.8,46.7,CivilNet,note {i},1\n"
        )
    return "".join(lines)


def median_seconds(fn, repeats: int) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def run(quick: bool = False) -> str:
    from rollcall.cli import setup_django

    home = Path(tempfile.mkdtemp(prefix="rollcall-bench-situation-"))
    setup_django(str(home))
    from rollcall.reports import html_to_pdf, render_html
    from rollcall.situation.actions import do_import_acled, load_situation_demo
    from rollcall.situation.picture import situation
    from rollcall_core.situation import parse_acled

    rows = 2_000 if quick else 10_000
    repeats = 3 if quick else 5
    load_situation_demo()
    text = acled_text(rows, "P")
    parse_s = median_seconds(lambda: parse_acled(text, today=date(2023, 9, 21)), repeats)
    counter = iter(range(1000))
    import_s = median_seconds(lambda: do_import_acled(acled_text(rows, f"I{next(counter)}-")), repeats)
    html_s = median_seconds(lambda: render_html(situation()), repeats)
    pdf_s = median_seconds(lambda: html_to_pdf(render_html(situation()), home / "r.pdf"), 1 if quick else 3)
    return "\n".join(
        [
            "## Situation",
            "",
            f"ACLED CSV of {rows:,} rows (1 in 500 malformed); the report with the demo facts plus every imported event.",
            "",
            "| What | Median | Rate |",
            "|---|---:|---:|",
            f"| parse ACLED CSV (core) | {parse_s * 1000:.0f} ms | {rows / parse_s:,.0f} rows/s |",
            f"| import ACLED CSV into SQLite | {import_s * 1000:.0f} ms | {rows / import_s:,.0f} rows/s |",
            f"| situation report as HTML | {html_s * 1000:.0f} ms | |",
            f"| situation report as PDF (headless Chromium) | {pdf_s * 1000:.0f} ms | |",
            "",
            f"Medians over {repeats} repeats (PDF: {1 if quick else 3}); `make bench` on a 2-core / 24 GiB machine.",
        ]
    )


if __name__ == "__main__":
    print(run(quick="--quick" in sys.argv))
