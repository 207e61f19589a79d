"""Multiple systems estimation: how many people no list recorded, with honest intervals.

Pure Python (numpy, scipy). See docs/estimation.md for the methods, their assumptions and the
reference numbers they reproduce.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields, replace
from types import MappingProxyType
from typing import Any

import numpy as np

from rollcall_core.estimation import dga, lcmcr
from rollcall_core.estimation.loglinear import (
    ModelFit,
    averaged_interval,
    bootstrap,
    fit_all,
    fit_model,
    model_weights,
    parse_model,
    profile_interval,
)
from rollcall_core.estimation.table import MAX_LISTS_LOGLINEAR, CaptureTable, EstimationError

METHODS: tuple[str, ...] = ("loglinear", "dga", "lcmcr")
# The default is chosen by the table (``default_method``): log-linear models where they can be
# fitted (3 to 5 lists), the latent-class model for more lists, which only it takes.
DEFAULT_METHOD = "default"
CRITERIA = ("bic", "aic")


def default_method(table: CaptureTable) -> tuple[str, str | None]:
    """The method the default means for this table, and what to say when it is not log-linear."""
    k = len(table.lists)
    if k <= MAX_LISTS_LOGLINEAR:
        return "loglinear", None
    return "lcmcr", f"{k} lists: log-linear handles at most {MAX_LISTS_LOGLINEAR}; LCMCR used"


def _plain(value: Any) -> Any:
    """JSON-ready copies: read-only mappings as dicts, tuples as lists, numpy numbers as Python's."""
    if isinstance(value, Mapping):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, np.generic):
        return value.item()
    return value


@dataclass(frozen=True)
class EstimationResult:
    method: str
    model: str
    observed: int
    estimate: float
    lower: float
    upper: float
    level: float
    lists: tuple[str, ...]
    draws: tuple[float, ...] | None = None
    profile: Mapping[str, Any] | None = None
    diagnostics: Mapping[str, Any] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()
    details: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # Frozen all the way down to the first level: a result read by a page and a report cannot be
        # changed by one of them behind the other's back.
        for name in ("diagnostics", "details", "profile"):
            value = getattr(self, name)
            if value is not None and not isinstance(value, MappingProxyType):
                object.__setattr__(self, name, MappingProxyType(dict(value)))
        object.__setattr__(self, "lists", tuple(self.lists))
        object.__setattr__(self, "warnings", tuple(self.warnings))
        if self.draws is not None:
            object.__setattr__(self, "draws", tuple(self.draws))

    def to_dict(self) -> dict[str, Any]:
        data = {f.name: _plain(getattr(self, f.name)) for f in fields(self)}
        if self.draws is not None:
            data["draws"] = len(self.draws)  # the count, not every draw
        for key in ("estimate", "lower", "upper"):
            value = data[key]
            data[key] = round(value, 2) if math.isfinite(value) else None
        return data


def _one_model(table: CaptureTable, model: str, heterogeneity: str | None) -> ModelFit:
    table.check_estimable(max_lists=MAX_LISTS_LOGLINEAR)
    if heterogeneity == "all":
        raise EstimationError("with model=, heterogeneity names one form: darroch or chao")
    fit = fit_model(table, parse_model(model, len(table.lists)), heterogeneity=heterogeneity)
    if fit.unstable:
        raise EstimationError(f"model {fit.name} gives no finite estimate on this table")
    return fit


def _loglinear(
    table: CaptureTable,
    *,
    level: float,
    seed: int,
    progress: Callable[[int, int], None] | None,
    criterion: str = "bic",
    replicates: int = 0,
    heterogeneity: str | None = None,
    model: str | None = None,
    average: bool = True,
) -> EstimationResult:
    """Log-linear models ranked by ``criterion``; ``heterogeneity`` ("darroch", "chao" or "all") adds
    each model again with that heterogeneity term to the ranking; ``model`` (e.g. "[12,13,14]")
    fits that one model instead of choosing one (with ``heterogeneity`` naming its form).

    The estimate is the selected model's (as Rcapture's closedpMS.t reports it). Its interval, when
    the model was chosen among others, is the model-averaged profile-likelihood interval over the
    models that carry the weight (``loglinear.averaged_interval``, decision 0008): the chosen model's
    own Cormack interval leaves out the uncertainty of the choice. ``average=False`` gives that
    interval alone; it is kept in ``profile`` and ``details["selected_interval"]`` either way."""
    if criterion not in CRITERIA:
        raise EstimationError(f"criterion {criterion!r}: use bic or aic")
    if model is None:
        fits = fit_all(table, progress=progress, heterogeneity=heterogeneity)
    else:
        fits = [_one_model(table, model, heterogeneity)]
    usable = [f for f in fits if not f.unstable]
    if not usable:
        raise EstimationError("no log-linear model gives a finite estimate: the table is too sparse")
    ranked = sorted(usable, key=lambda f: getattr(f, criterion))
    best = ranked[0]
    profile_n, cormack_lower, cormack_upper = profile_interval(
        table, best.terms, level, heterogeneity=best.heterogeneity
    )
    lower, upper = cormack_lower, cormack_upper
    averaged = None
    if model is None and average and len(ranked) > 1:
        averaged = averaged_interval(table, ranked, criterion, level)
        lower, upper = averaged.lower, averaged.upper
        if not lower <= best.estimate <= upper:
            # The chosen model's estimate outside the averaged interval would be a result that
            # contradicts itself: widen to its own interval rather than print one.
            lower, upper = min(lower, cormack_lower), max(upper, cormack_upper)
    warnings = []
    for runner in ranked[1:4]:
        close = getattr(runner, criterion) - getattr(best, criterion) < 2
        if close and abs(runner.estimate - best.estimate) > 0.1 * best.estimate:
            warnings.append(
                f"model {runner.name} is nearly as good ({criterion.upper()} within 2) and gives {runner.estimate:.0f}: "
                "the choice of model matters here"
            )
    if best.df == 0:
        warnings.append(
            "the chosen model fits the table exactly (no degrees of freedom left): its interval is optimistic"
        )
    details: dict[str, Any] = {
        "criterion": criterion,
        "heterogeneity": heterogeneity,
        "profile_estimate": profile_n,
        "stderr": best.stderr,
        "models": [
            {
                "model": f.name,
                "estimate": f.estimate,
                "stderr": f.stderr,
                "deviance": f.deviance,
                "df": f.df,
                "aic": f.aic,
                "bic": f.bic,
            }
            for f in ranked[:10]
        ],  # fmt: skip
        "models_fitted": len(fits),
        "models_unstable": len(fits) - len(usable),
        "selected_interval": [cormack_lower, cormack_upper],
        "interval": "model-averaged profile likelihood" if averaged else "profile likelihood (Cormack)",
    }
    if averaged is not None:
        details["averaged"] = {
            "estimate": averaged.estimate,
            "stderr": averaged.stderr,
            "lower": averaged.lower,
            "upper": averaged.upper,
            "models": averaged.models,
            "weight_kept": averaged.weight_kept,
            "selected_weight": averaged.best_weight,
        }
        weights = model_weights([getattr(f, criterion) for f in ranked])
        for entry, weight in zip(details["models"], weights, strict=False):
            entry["weight"] = float(weight)
    draws = None
    if replicates:
        low_b, high_b, estimates = bootstrap(
            table, criterion=criterion, replicates=replicates, seed=seed, level=level, progress=progress,
            heterogeneity=heterogeneity,
        )
        details["bootstrap_interval"] = [low_b, high_b]
        draws = tuple(estimates)
        # The reported interval covers model-selection uncertainty as well as sampling.
        lower, upper = min(lower, low_b), max(upper, high_b)
    return EstimationResult(
        method="loglinear",
        model=best.name,
        observed=table.observed,
        estimate=best.estimate,
        lower=lower,
        upper=upper,
        level=level,
        lists=table.lists,
        draws=draws,
        profile={"estimate": profile_n, "lower": cormack_lower, "upper": cormack_upper},
        diagnostics={"converged": best.converged, "deviance": best.deviance, "df": best.df},
        warnings=tuple(warnings),
        details=details,
    )


def _dga(
    table: CaptureTable,
    *,
    level: float,
    seed: int,
    progress: Callable[[int, int], None] | None,
    delta: float | None = None,
    prior: str | Callable[[Any], Any] = "1/N",
    max_missing: int | None = None,
) -> EstimationResult:
    """Madigan & York model averaging; the estimate is the posterior median, the interval central."""
    del seed  # closed form: nothing random
    if prior == "1/N":
        log_prior = None
    elif prior == "uniform":
        log_prior = lambda total: 0.0 * total  # noqa: E731
    elif callable(prior):
        log_prior = prior
    else:
        raise EstimationError(f"prior {prior!r}: use '1/N', 'uniform' or a function giving log prior of N")
    k = len(table.lists)
    post = dga.posterior(table, delta=delta, max_missing=max_missing, log_prior=log_prior)
    if progress:
        progress(1, 1)
    totals = post.missing + table.observed
    summary = dga.summarise(totals, post.averaged, level)
    probabilities = post.graph_probabilities
    order = list(reversed(probabilities.argsort()))
    models = []
    for g in order[:10]:
        s = dga.summarise(totals, post.joint[g], level)
        models.append(
            {
                "model": post.graphs[g].name(k),
                "posterior_probability": float(probabilities[g]),
                "estimate": s["median"],
                "mean": s["mean"],
                "lower": s["lower"],
                "upper": s["upper"],
                "bayes_relative": s["bayes_relative"],
                "mode": s["mode"],
            }
        )
    warnings = []
    if summary["mass_at_upper_end"] > 1e-6:
        warnings.append(
            f"the posterior has not fallen to zero at N = {totals[-1]:.0f}: raise max_missing; the table may be too sparse"
        )
    used_delta = 2.0**-k if delta is None else float(delta)
    return EstimationResult(
        method="dga",
        model="decomposable-graph average",
        observed=table.observed,
        estimate=summary["median"],
        lower=summary["lower"],
        upper=summary["upper"],
        level=level,
        lists=table.lists,
        profile={"N": [float(x) for x in totals], "posterior": [float(x) for x in post.averaged]},
        diagnostics={"graphs": len(post.graphs), "delta": used_delta, "max_missing": float(post.missing[-1])},
        warnings=tuple(warnings),
        details={
            "mean": summary["mean"],
            "mode": summary["mode"],
            "bayes_relative": summary["bayes_relative"],
            "delta": used_delta,
            "prior": prior if isinstance(prior, str) else "custom",
            "models": models,
        },
    )


def _lcmcr(
    table: CaptureTable,
    *,
    level: float,
    seed: int,
    progress: Callable[[int, int], None] | None,
    **options: Any,
) -> EstimationResult:
    """Manrique-Vallier's latent class model; the estimate is the posterior median of N."""
    run = lcmcr.sample(table, seed=seed, progress=progress, **options)
    pooled = run.totals.ravel()
    tail = (1 - level) / 2
    lower, median, upper = (float(x) for x in np.quantile(pooled, [tail, 0.5, 1 - tail]))
    rhat = lcmcr.split_rhat(run.totals)
    ess = lcmcr.effective_sample_size(run.totals)
    classes = options.get("classes") or lcmcr.default_classes(len(table.lists))
    warnings = []
    chain_medians = [float(np.median(chain)) for chain in run.totals]
    if not rhat < 1.1:
        # Chains that settle in different regions of a multimodal posterior (docs/estimation.md, the
        # verdata table) show as medians far apart: say so, with the numbers.
        spread = ", ".join(f"{m:.0f}" for m in chain_medians)
        warnings.append(
            f"the chains disagree (R-hat {rhat:.2f} > 1.1; chain medians {spread}): the posterior may have "
            "separate regions; run longer, with split-merge moves and parallel tempering (split_merge=5, replicas=10, "
            "coldest=0.6; on the command line --split-merge 5 --replicas 10 --coldest 0.6), "
            "and do not quote this estimate until they agree"
        )
    if ess < 100 * run.totals.shape[0]:
        warnings.append(f"effective sample size {ess:.0f} is small: interval ends are uncertain")
    return EstimationResult(
        method="lcmcr",
        model=f"LCMCR K={classes}",
        observed=table.observed,
        estimate=median,
        lower=lower,
        upper=upper,
        level=level,
        lists=table.lists,
        draws=tuple(float(x) for x in pooled),
        diagnostics={
            "rhat": rhat,
            "ess": ess,
            "chain_medians": chain_medians,
            "chains": int(run.totals.shape[0]),
            "iterations_per_chain": run.iterations,
            "compiled": lcmcr._lcmcr_kernel.AVAILABLE and options.get("use_numba", True),
            # Parallel tempering (``replicas`` > 1): the ladder and how often neighbours swapped.
            # A swap rate near 0 means the ladder is too coarse to help the chains mix.
            "tempering": {"betas": list(run.betas), "swap_rates": list(run.swap_rates)},
            # Split-merge moves on the classes (``split_merge`` tries per iteration), over all chains.
            "split_merge": {
                "tries_per_iteration": int(options.get("split_merge", 0)),
                "merges": run.split_merge[0],
                "splits": run.split_merge[2],
            },
        },
        warnings=tuple(warnings),
        details={"mean": float(pooled.mean()), "classes": classes, "alpha_mean": float(run.alpha.mean())},
    )


def estimate(
    table: CaptureTable,
    *,
    method: str = DEFAULT_METHOD,
    level: float = 0.95,
    seed: int = 1,
    progress: Callable[[int, int], None] | None = None,
    **options: Any,
) -> EstimationResult:
    """Estimate the total (observed and unobserved) from a capture-history table.

    ``method="default"`` (the default) chooses by the table (``default_method``); the result names
    the method used, and when that is not log-linear a warning says why.
    """
    if not 0 < level < 1:
        raise EstimationError("level must be between 0 and 1, e.g. 0.95")
    if method == DEFAULT_METHOD:
        chosen, why = default_method(table)
        result = estimate(table, method=chosen, level=level, seed=seed, progress=progress, **options)
        if why is None:
            return result
        return replace(result, warnings=(why, *result.warnings), details={**result.details, "chosen_because": why})
    if method == "loglinear":
        return _loglinear(table, level=level, seed=seed, progress=progress, **options)
    if method == "lcmcr":
        return _lcmcr(table, level=level, seed=seed, progress=progress, **options)
    if method == "dga":
        return _dga(table, level=level, seed=seed, progress=progress, **options)
    raise EstimationError(
        f"method {method!r} is not available in this version; use one of {', '.join(METHODS)} or {DEFAULT_METHOD}"
    )


def estimate_all(table: CaptureTable, **kwargs: Any) -> list[EstimationResult]:
    return [estimate(table, method=m, **kwargs) for m in METHODS]


__all__ = [
    "CRITERIA",
    "DEFAULT_METHOD",
    "METHODS",
    "CaptureTable",
    "default_method",
    "EstimationError",
    "EstimationResult",
    "estimate",
    "estimate_all",
]
