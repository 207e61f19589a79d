"""`rollcall report`: the situation report as HTML, Markdown or PDF (via headless Chromium)."""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from rollcall.estimation.report import markdown as estimation_markdown
from rollcall.situation.picture import situation

CHROMIUM_CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "chrome")


class ReportFailed(Exception):
    pass


def render_html(ctx: dict[str, Any]) -> str:
    return render_to_string("situation/report_document.html", {**ctx, "TIME_ZONE": settings.TIME_ZONE})


def _local(value: Any) -> str:
    return timezone.localtime(value).strftime("%d %b %Y %H:%M")


def render_markdown(ctx: dict[str, Any]) -> str:
    def cell(text: object) -> str:
        return str(text).replace("|", "\\|").replace("\n", " ")

    out = [
        f"# Situation report\n\nAs of {_local(ctx['as_of'])} ({settings.TIME_ZONE}).\n",
        "## Key figures\n",
        "| Metric | Figure | Scope | Source | As of | Status | Citation |",
        "|---|---:|---|---|---|---|---|",
    ]
    for c in ctx["figures"]:
        scope = c.scope + (f", {c.place.name_en}" if c.place else "")
        cite = f"[{c.cited_by or 'link'}]({c.citation_url})" if c.citation_url else c.cited_by
        out.append(
            f"| {cell(c.metric)} | {cell(c.display_figure())} | {cell(scope)} | {cell(c.source.name)} | {_local(c.as_of)} | {c.status} | {cell(cite)} |"
        )
    out += [
        "\n## Documented by the registry, beside the claims\n",
        "| Metric | Unique persons documented | Claimed |",
        "|---|---:|---|",
    ]
    for metric, count, claimed in ctx["documented_rows"]:
        said = "; ".join(f"{c.display_figure()} ({c.source.name})" for c in claimed) or "–"
        out.append(f"| {metric} | {count} | {cell(said)} |")
    out += estimation_markdown(ctx["estimates"])
    out.append("\n## Highlights\n")
    out += [f"- **Contradiction:** {x.explanation}" for x in ctx["contradictions"]]
    out += [
        f"- {c.source.name} revised {c.metric} from {c.revises.display_figure()} to {c.display_figure()}"
        for c in ctx["revisions"]
    ]
    if not ctx["contradictions"] and not ctx["revisions"]:
        out.append("- No contradictions or revisions.")
    if ctx["events_total"] > len(ctx["events"]):
        out.append(
            f"\nThe latest {len(ctx['events'])} of {ctx['events_total']} events; all are in the ACLED and HXL exports."
        )
    out += [
        "\n## Events\n",
        "| Date | Type | Place | Actors | Fatalities | Notes (sources) |",
        "|---|---|---|---|---:|---|",
    ]
    for e in ctx["events"]:
        dead = (
            e.fatalities_best
            if e.fatalities_best is not None
            else (f"≥ {e.fatalities_low}" if e.fatalities_low is not None else "not given")
        )
        out.append(
            f"| {e.occurred_on:%d %b %Y} | {cell(e.event_type)}: {cell(e.sub_event_type)} | {cell(e.place.name_en if e.place else e.location_text)} | {cell('; '.join(e.actors))} | {dead} | {cell(e.notes)} ({cell('; '.join(e.sources))}) |"
        )
    out += [
        "\n## Shelter sites\n",
        "| Site | Type | Managed by | Status | Capacity | Claimed | Registered |",
        "|---|---|---|---|---:|---|---:|",
    ]
    for row in ctx["sites"]:
        claimed = f"{row.claimed.display_figure()} ({row.claimed.source.name})" if row.claimed else "–"
        out.append(
            f"| {cell(row.site.place.name_en)} | {cell(row.site.site_type)} | {cell(row.site.managed_by)} | {row.site.status} | {row.site.capacity or '–'} | {cell(claimed)} | {row.registered} |"
        )
    out.append("\nCharts and the map are in the HTML and PDF versions.\n")
    return "\n".join(out)


def find_chromium() -> str | None:
    configured = os.environ.get("ROLLCALL_CHROMIUM")
    if configured:
        return configured if Path(configured).exists() else None
    for name in CHROMIUM_CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    return None


# Flags for headless Chromium on a machine with no network but loopback: without the
# background-networking ones it tries, and fails, to reach Google's hosts at every start.
CHROMIUM_FLAGS: tuple[str, ...] = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
)


def html_to_pdf(html: str, out: Path) -> None:
    """Print HTML to PDF with headless Chromium (docs/decisions/0006-pdf-with-headless-chromium.md)."""
    browser = find_chromium()
    if browser is None:
        raise ReportFailed(
            "PDF needs Chromium: install it (apt-get install chromium) or set ROLLCALL_CHROMIUM to its path"
        )
    with tempfile.TemporaryDirectory(prefix="rollcall-report-") as tmp:
        page = Path(tmp) / "report.html"
        page.write_text(html, encoding="utf-8")
        cmd = [
            browser,
            "--headless",
            *CHROMIUM_FLAGS,
            "--no-pdf-header-footer",
            f"--user-data-dir={tmp}/profile",
            f"--print-to-pdf={out}",
            page.as_uri(),
        ]
        try:
            done = subprocess.run(cmd, capture_output=True, timeout=120, check=False)
        except subprocess.TimeoutExpired:
            raise ReportFailed("Chromium took more than 120 seconds to print the PDF") from None
        if done.returncode != 0 or not out.exists() or out.stat().st_size == 0:
            tail = done.stderr.decode(errors="replace").strip().splitlines()[-1:] or ["no output"]
            raise ReportFailed(f"Chromium could not print the PDF: {tail[0]}")


def write_report(fmt: str, out: Path | None, as_of: Any = None) -> str | None:
    ctx = situation(as_of)
    if fmt == "pdf":
        if out is None:
            raise ReportFailed("--format pdf needs --out FILE")
        html_to_pdf(render_html(ctx), out.resolve())
        return None
    text = render_markdown(ctx) if fmt == "md" else render_html(ctx)
    if out is None:
        return text
    out.write_text(text, encoding="utf-8")
    return None


def run_report(args: argparse.Namespace) -> int:
    from rollcall.situation.views import parse_as_of

    as_of = parse_as_of(getattr(args, "as_of", None))
    out = Path(args.out) if args.out else None
    try:
        text = write_report(args.format, out, as_of)
    except (ReportFailed, OSError) as exc:
        print(f"rollcall report: {exc}", file=sys.stderr)
        return 1
    if text is not None:
        sys.stdout.write(text)
    return 0
