"""What the analyst page and the situation report show of a run: numbers rounded to people, the
model in words, the overlap plot, and the assumptions in words a journalist can repeat.

Two audiences: `public=False` (analysts: every stratum and every combination of lists) and
`public=True` (the situation report, which anyone may read): small groups are combined so
that no count small enough to point at a family is published (see `fold_small`).
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rollcall.estimation.upset import Column, upset_svg

# Public version only. A stratum (a place, a sex, an age band...) with fewer documented people
# than this is combined with the other small ones; a combination of lists with fewer people
# than this is combined with the other small combinations.
PUBLIC_MIN_STRATUM = 10
PUBLIC_MIN_CELL = 5

METHOD_NAMES = {
    "default": gettext_lazy("the recommended method"),
    "loglinear": gettext_lazy("log-linear models"),
    "dga": gettext_lazy("Bayesian model averaging over dependence graphs"),
    "lcmcr": gettext_lazy("latent-class model (LCMCR)"),
}

ASSUMPTIONS: tuple[tuple[Any, Any], ...] = (
    (
        gettext_lazy("An estimate, not a count"),
        gettext_lazy(
            "Say: “an estimated N deaths (95% interval L to U), of which D are documented by name”. The D "
            "documented deaths are people on at least one list; the rest is a statistical estimate of "
            "deaths that no list recorded, worked out from how much the lists overlap."
        ),
    ),
    (
        gettext_lazy("What the interval means, and what it does not"),
        gettext_lazy(
            "If the assumptions below hold, intervals made this way contain the true number about 95 times "
            "in 100. The interval does not cover the assumptions failing, so the true number can lie outside "
            "it. It is not a range of what sources claimed, and values near its ends are less likely than "
            "values near the estimate. For log-linear models it also allows for not knowing which pattern of "
            "dependence between the lists is right: it combines every model the data support, weighted by "
            "how well each fits, so it is wider than the chosen model's alone."
        ),
    ),
    (
        gettext_lazy("Lists that depend on each other"),
        gettext_lazy(
            "If being on one list makes being on another more likely (a hospital that reports its dead to "
            "the ministry), the lists overlap more than chance and the estimate comes out too low; lists "
            "that avoid each other push it too high. The models allow for dependence between the lists we "
            "have, not for dependence on a list nobody has."
        ),
    ),
    (
        gettext_lazy("Some people are harder to record than others"),
        gettext_lazy(
            "Soldiers may be recorded more than civilians, deaths in towns more than in villages. When the "
            "same people are hard to record on every list, every method underestimates. Estimating place by "
            "place or group by group (strata) helps when the groups differ."
        ),
    ),
    (
        gettext_lazy("Matching errors move the estimate"),
        gettext_lazy(
            "Each person must be recognised across lists, whatever the spelling or script. Two different "
            "people wrongly taken for one (a false merge) lower the estimate; one person not recognised on "
            "two lists (a missed link) raises it. The estimate is only as good as the matching behind it."
        ),
    ),
    (
        gettext_lazy("One population, one period"),
        gettext_lazy(
            "The lists are assumed to describe the same deaths in the same area and period. Deaths after a "
            "list was closed, or outside the area it covers, are not estimated by it."
        ),
    ),
    (
        gettext_lazy("What cannot be estimated"),
        gettext_lazy(
            "A group recorded by fewer than three lists, with too few people, or with no overlaps is not "
            "estimated: we say so rather than print a number that looks valid and is not. Estimates for "
            "groups do not add up to the total: each is estimated on its own."
        ),
    ),
)

STRATUM_FIELDS = {
    "": gettext_lazy("total only"),
    "home_place": gettext_lazy("home place"),
    "sex": gettext_lazy("sex"),
    "age_band": gettext_lazy("age band (15 years)"),
    "category": gettext_lazy("civilian or military"),
    "status_date": gettext_lazy("week of death as recorded"),
    "status_month": gettext_lazy("month of death as recorded"),
}


def assumptions() -> list[tuple[str, str]]:
    return [(str(title), str(text)) for title, text in ASSUMPTIONS]


def whole(value: float | None, rounding: Any = round) -> int | None:
    """People are whole. The interval is rounded outwards (floor, ceil), so rounding never narrows it."""
    return None if value is None else int(rounding(value))


def explain_model(method: str, model: str | None, lists: Sequence[str]) -> str:
    if not model:
        return ""
    if method == "loglinear":
        match = re.fullmatch(r"\[([1-9,]+)\]", model.replace(" ", ""))
        if match is None:
            return (
                model  # a term this page does not know how to say (e.g. heterogeneity): as the core names it
            )
        pairs = [t for t in match.group(1).split(",") if len(t) > 1]
        if not pairs:
            return _("%(model)s: the lists are taken as independent of each other") % {"model": model}

        def names(term: str) -> str:
            return _(" and ").join(lists[int(d) - 1] if int(d) <= len(lists) else d for d in term)

        said = _(", and between ").join(names(t) for t in pairs)
        return _("%(model)s: allows for dependence between %(pairs)s") % {"model": model, "pairs": said}
    if method == "dga":
        return _("averaged over every pattern of dependence between the lists")
    if method == "lcmcr":
        return _("%(model)s: allows some people to be much harder to record than others") % {"model": model}
    return model


def fold_small(items: list[tuple[Any, int]], threshold: int) -> tuple[list[tuple[Any, int]], int]:
    """Items under the threshold are combined into one 'other' count. When only one item is small,
    the next smallest joins it, so that no small count can be recovered by subtraction from a total."""
    small = [item for item in items if item[1] < threshold]
    kept = [item for item in items if item[1] >= threshold]
    if len(small) == 1 and kept:
        smallest = min(kept, key=lambda item: item[1])
        kept.remove(smallest)
        small.append(smallest)
    return kept, sum(count for _, count in small)


def _pattern_label(pattern: str, lists: Sequence[str]) -> str:
    on = [name for bit, name in zip(pattern, lists, strict=False) if bit == "1"]
    if len(on) == 1:
        return _("only %(list)s") % {"list": on[0]}
    return " + ".join(on)


def overlap(stratum: dict[str, Any], *, public: bool, uid: str, title: str) -> dict[str, Any]:
    """The UpSet plot and its table for one stratum."""
    lists = stratum["lists"]
    items = [(p["pattern"], int(p["count"])) for p in stratum["patterns"]]
    other = 0
    if public:
        items, other = fold_small(items, PUBLIC_MIN_CELL)
    columns = [Column(p, c, _pattern_label(p, lists)) for p, c in items]
    other_label = _("other combinations of lists, each with fewer than %(n)s people") % {"n": PUBLIC_MIN_CELL}
    if other:
        columns.append(Column("", other, other_label))
    biggest = ", ".join(f"{c.label}: {c.count}" for c in columns[:4])
    description = _(
        "Bars: how many of the %(n)s documented people are on exactly each combination of lists; the dots "
        "below a bar show which lists. Largest: %(biggest)s. The same numbers are in the table below the plot."
    ) % {"n": stratum["observed"], "biggest": biggest}
    svg = upset_svg(lists, columns, title=title, description=description, uid=uid,
                    set_sizes=None if public else stratum.get("list_totals"), other_label=other_label,
                    bars_label=_("people on exactly these lists"), sizes_label=_("people on each list"))  # fmt: skip
    return {"svg": svg, "rows": [(c.label, c.count) for c in columns]}


def _diagnostics(values: dict[str, Any]) -> str:
    """The method's diagnostics in one line for analysts (R-hat and effective sample size for LCMCR...)."""
    said = []
    for key, value in values.items():
        if isinstance(value, float):
            said.append(f"{key} {value:.3g}")
        elif isinstance(value, (int, bool, str)):
            said.append(f"{key} {value}")
    return "; ".join(said)


def _withheld(entry: dict[str, Any] | None) -> str:
    """For analysts only: the figures of a result refused because it contradicts itself."""
    if not entry:
        return ""
    return _("withheld figures: estimate %(e)s, interval %(l)s to %(u)s (model %(m)s)") % {
        "e": entry.get("estimate"), "l": entry.get("lower"), "u": entry.get("upper"), "m": entry.get("model")}  # fmt: skip


def results(stratum: dict[str, Any]) -> list[dict[str, Any]]:
    out = []
    for entry in stratum["results"]:
        refused = entry.get("error")
        estimate = whole(entry["estimate"])
        lower, upper = whole(entry["lower"], math.floor), whole(entry["upper"], math.ceil)
        observed = int(entry["observed"])
        out.append(
            {
                "method": entry["method"],
                "method_name": str(METHOD_NAMES.get(entry["method"], entry["method"])),
                "refused": refused or "",
                "observed": observed,
                "estimate": estimate,
                "lower": lower,
                "upper": upper,
                "unbounded": not refused and upper is None,
                "level": int(round(100 * float(entry.get("level") or 0.95))),
                "uncounted": None if refused or estimate is None else estimate - observed,
                "uncounted_lower": None if refused or lower is None else max(lower - observed, 0),
                "uncounted_upper": None if refused or upper is None else upper - observed,
                "model": explain_model(entry["method"], entry.get("model"), entry.get("lists") or []),
                "warnings": entry.get("warnings") or [],
                "diagnostics": _diagnostics(entry.get("diagnostics") or {}),
                "withheld": _withheld(entry.get("withheld")),
            }
        )
    return out


def stratum_rows(
    strata: list[dict[str, Any]], *, public: bool
) -> tuple[list[dict[str, Any]], dict[str, Any] | None]:
    """Every stratum (after the total) with its results; in public, the small ones combined into one row."""
    rows = [{"name": s["stratum"], "observed": s["observed"], "lists": s["lists"], "absent": s["absent"],
             "results": results(s)} for s in strata[1:]]  # fmt: skip
    # Estimable groups first, largest first; the refusals after them, so the numbers are not lost in reasons.
    rows.sort(key=lambda row: (all(r["refused"] for r in row["results"]), -row["observed"], row["name"]))
    if not public:
        return rows, None
    kept, other = fold_small([(row["name"], row["observed"]) for row in rows], PUBLIC_MIN_STRATUM)
    names = {name for name, _ in kept}
    shown = [row for row in rows if row["name"] in names]
    folded = [row for row in rows if row["name"] not in names]
    if not folded:
        return shown, None
    # A group of 10 or more folded only to shield a small one may be named (never with its count);
    # the small ones are not named: a village and "2 dead" can point at a family.
    large = [row["name"] for row in folded if row["observed"] >= PUBLIC_MIN_STRATUM]
    small = len(folded) - len(large)
    if large:
        label = _("Combined: %(names)s and %(n)s smaller group(s)") % {"names": ", ".join(large), "n": small}
    else:
        label = _("Combined: %(n)s smaller groups") % {"n": small}
    return shown, {"groups": len(folded), "observed": other, "label": label}


def describe(run: Any, *, public: bool) -> dict[str, Any]:
    """A finished run, ready for a template: the total, the strata, the plot and the assumptions."""
    strata = run.strata
    total = strata[0]
    rows, other = stratum_rows(strata, public=public)
    plot_title = _("Which lists recorded the %(n)s documented people (%(status)s)") % {
        "n": total["observed"],
        "status": run.status,
    }
    plots = [overlap(total, public=public, uid=f"upset-{run.pk}-total", title=plot_title)]
    if not public:
        for i, stratum in enumerate(strata[1:]):
            if stratum["observed"] and len(stratum["lists"]) > 1:
                title = _("%(stratum)s: which lists recorded the %(n)s documented people") % {
                    "stratum": stratum["stratum"],
                    "n": stratum["observed"],
                }
                plots.append({**overlap(stratum, public=False, uid=f"upset-{run.pk}-{i}", title=title),
                              "stratum": stratum["stratum"]})  # fmt: skip
    return {
        "run": run,
        "by_label": str(STRATUM_FIELDS.get(run.by, run.by)),
        "total": {"observed": total["observed"], "lists": total["lists"], "results": results(total)},
        "strata": rows,
        "other_strata": other,
        "plots": plots,
        "assumptions": assumptions(),
        "public": public,
        "min_stratum": PUBLIC_MIN_STRATUM,
        "min_cell": PUBLIC_MIN_CELL,
    }


def export_rows(run: Any) -> list[dict[str, Any]]:
    """One row per stratum and method, for CSV: the analyst's full table (counts only, no person)."""
    rows = []
    for stratum in run.strata:
        for entry in stratum["results"]:
            rows.append(
                {
                    "status": run.status,
                    "by": run.by or "total",
                    "stratum": stratum["stratum"],
                    "method": entry["method"],
                    "observed": entry["observed"],
                    "estimate": "" if entry["estimate"] is None else entry["estimate"],
                    "lower": "" if entry["lower"] is None else entry["lower"],
                    "upper": "" if entry["upper"] is None else entry["upper"],
                    "level": entry.get("level", ""),
                    "model": entry.get("model") or "",
                    "lists": "; ".join(stratum["lists"]),
                    "not_estimable_because": entry.get("error", ""),
                    "warnings": "; ".join(entry.get("warnings") or []),
                }
            )
    return rows


EXPORT_COLUMNS = ("status", "by", "stratum", "method", "observed", "estimate", "lower", "upper", "level",
                  "model", "lists", "not_estimable_because", "warnings")  # fmt: skip
