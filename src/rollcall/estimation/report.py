"""The situation report's section "Estimated deaths not on any list": the published run, public-safe.

The report is public: only counts per group, small groups and small combinations of lists
combined (rollcall.estimation.present.fold_small), never a person.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from rollcall.estimation.actions import latest_publication, withdrawn_as_of
from rollcall.estimation.present import describe


def report_estimates(as_of: datetime | None = None) -> dict[str, Any] | None:
    """The published run ready for the report; a withdrawal notice (no figures) when the run published
    last was withdrawn by then; None when nothing was ever published."""
    run = latest_publication("dead", as_of)
    if run is None:
        return None
    if withdrawn_as_of(run, as_of):
        return {"withdrawn": withdrawal(run)}
    return describe(run, public=True)


def withdrawal(run: Any) -> dict[str, Any]:
    """What the public report says of a withdrawn estimate: when it was published and withdrawn, and
    the reason only if the analyst allowed it (it may name a list or a linkage problem); ``text``
    is that notice in words, the one sentence the HTML, PDF and Markdown reports all print."""
    notice = {
        "published_at": run.published_at,
        "withdrawn_at": run.withdrawn_at,
        "reason": run.withdrawn_reason if run.withdrawn_reason_public else "",
    }
    return {**notice, "text": withdrawal_text(notice)}


def _when(moment: datetime | None) -> str:
    return timezone.localtime(moment).strftime("%d %b %Y %H:%M") if moment else "?"


def withdrawal_text(notice: dict[str, Any]) -> str:
    text = _("The estimate published on %(published)s was withdrawn on %(withdrawn)s.") % {
        "published": _when(notice["published_at"]), "withdrawn": _when(notice["withdrawn_at"])}  # fmt: skip
    if notice["reason"]:
        text += " " + _("Reason given: %(reason)s") % {"reason": notice["reason"]}
    return text + " " + _("No estimate is published now; do not quote the withdrawn figures.")


def _cell(text: object) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _figure(r: dict[str, Any], low: str, high: str, value: str) -> str:
    if r[high] is None:
        return _("%(value)s (%(level)s%% interval %(low)s to no upper bound)") % {
            "value": r[value], "level": r["level"], "low": r[low]}  # fmt: skip
    return _("%(value)s (%(level)s%% interval %(low)s to %(high)s)") % {
        "value": r[value], "level": r["level"], "low": r[low], "high": r[high]}  # fmt: skip


def markdown(section: dict[str, Any] | None) -> list[str]:
    """The same section for `rollcall report --format md` (the plot is in the HTML and PDF versions)."""
    out = ["\n## " + _("Estimated deaths not on any list") + "\n"]
    if section is None:
        out.append(
            _("No estimate has been published yet. Analysts publish one from the estimates page.") + "\n"
        )
        return out
    if "withdrawn" in section:
        out.append(_cell(section["withdrawn"]["text"]) + "\n")
        return out
    run = section["run"]
    when = _when(run.finished_at)
    out.append(_("Computed on %(when)s from the lists linked then.") % {"when": when} + "\n")
    for r in section["total"]["results"]:
        out.append(f"**{r['method_name'][:1].upper() + r['method_name'][1:]}**\n")
        if r["refused"]:
            out.append(f"- {_('Not estimable')}: {_cell(r['refused'])}")
            out.append(f"- {_('Documented by name on at least one list')}: {r['observed']}\n")
            continue
        out.append(f"- {_('Documented by name on at least one list')}: {r['observed']}")
        out.append(f"- {_('Estimated in total')}: {_figure(r, 'lower', 'upper', 'estimate')}")
        out.append(
            f"- {_('Estimated not on any list')}: {_figure(r, 'uncounted_lower', 'uncounted_upper', 'uncounted')}"
        )
        out.append(f"- {_('Method')}: {_cell(r['method_name'])}; {_('model')} {_cell(r['model'])}")
        out += [f"- {_('Caution')}: {_cell(w)}" for w in r["warnings"]]
        out.append("")
    if run.by:
        out.append(f"### {_('Separately by %(by)s') % {'by': section['by_label']}}\n")
        out.append(
            _("Each group is estimated on its own, so the groups do not add up to the total above.") + "\n"
        )
        out.append(f"| {_cell(section['by_label'][:1].upper() + section['by_label'][1:])} | {_('Documented')} | {_('Estimated in total')} | "
                   f"{_('95% interval')} | {_('Not on any list')} | {_('Method and model, or why not estimable')} |")  # fmt: skip
        out.append("|---|---:|---:|---|---:|---|")
        for row in section["strata"]:
            for r in row["results"]:
                if r["refused"]:
                    out.append(
                        f"| {_cell(row['name'])} | {row['observed']} | – | – | – | {_('not estimable')}: {_cell(r['refused'])} |"
                    )
                else:
                    high = "?" if r["upper"] is None else r["upper"]
                    cautions = "".join(f" {_('Caution')}: {_cell(w)}" for w in r["warnings"])
                    out.append(f"| {_cell(row['name'])} | {row['observed']} | {r['estimate']} | {r['lower']}–{high} | "
                               f"{r['uncounted']} | {_cell(r['method_name'])}; {_cell(r['model'])}.{cautions} |")  # fmt: skip
        other = section["other_strata"]
        if other:
            reason = _(
                "To protect privacy, groups with fewer than %(n)s documented people are not shown alone; when only "
                "one is that small, the next smallest group joins it, so that it cannot be worked out from the "
                "total. Combined groups are not estimated here."
            ) % {"n": section["min_stratum"]}
            out.append(f"| {_cell(other['label'])} | {other['observed']} | – | – | – | {reason} |")
        out.append("")
    plot = section["plots"][0]
    out.append(f"### {_('Which lists recorded whom')}\n")
    out.append(_("To protect privacy, combinations with fewer than %(n)s people are shown together as “other”.")
               % {"n": section["min_cell"]} + "\n")  # fmt: skip
    out.append(f"| {_('On exactly these lists')} | {_('People')} |")
    out.append("|---|---:|")
    out += [f"| {_cell(label)} | {count} |" for label, count in plot["rows"]]
    out.append(f"\n### {_('How to read these numbers')}\n")
    out += [f"- **{title}.** {text}" for title, text in section["assumptions"]]
    out.append("")
    return out
