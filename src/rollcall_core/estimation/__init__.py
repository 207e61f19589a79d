"""Multiple systems estimation: how many people no list recorded, with honest intervals.

Pure Python (numpy, scipy). See docs/estimation.md for the methods, their assumptions and the
reference numbers they reproduce.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

from rollcall_core.estimation.loglinear import bootstrap, fit_all, profile_interval
from rollcall_core.estimation.table import CaptureTable, EstimationError

METHODS: tuple[str, ...] = ("loglinear",)
DEFAULT_METHOD = "loglinear"
CRITERIA = ("bic", "aic")


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
    profile: dict[str, float] | None = None
    diagnostics: dict[str, Any] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()
    details: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["lists"] = list(self.lists)
        data["warnings"] = list(self.warnings)
        if self.draws is not None:
            data["draws"] = len(self.draws)  # the count, not every draw
        for key in ("estimate", "lower", "upper"):
            value = data[key]
            data[key] = round(value, 2) if math.isfinite(value) else None
        return data


def _loglinear(
    table: CaptureTable,
    *,
    level: float,
    seed: int,
    progress: Callable[[int, int], None] | None,
    criterion: str = "bic",
    replicates: int = 0,
) -> EstimationResult:
    if criterion not in CRITERIA:
        raise EstimationError(f"criterion {criterion!r}: use bic or aic")
    fits = fit_all(table, progress=progress)
    usable = [f for f in fits if not f.unstable]
    if not usable:
        raise EstimationError("no log-linear model gives a finite estimate: the table is too sparse")
    ranked = sorted(usable, key=lambda f: getattr(f, criterion))
    best = ranked[0]
    profile_n, lower, upper = profile_interval(table, best.terms, level)
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
    }
    draws = None
    if replicates:
        low_b, high_b, estimates = bootstrap(
            table, criterion=criterion, replicates=replicates, seed=seed, level=level, progress=progress
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
        profile={"estimate": profile_n, "lower": lower, "upper": upper},
        diagnostics={"converged": best.converged, "deviance": best.deviance, "df": best.df},
        warnings=tuple(warnings),
        details=details,
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
    """Estimate the total (observed and unobserved) from a capture-history table."""
    if not 0 < level < 1:
        raise EstimationError("level must be between 0 and 1, e.g. 0.95")
    if method == "loglinear":
        return _loglinear(table, level=level, seed=seed, progress=progress, **options)
    raise EstimationError(
        f"method {method!r} is not available in this version; use one of {', '.join(METHODS)}"
    )


def estimate_all(table: CaptureTable, **kwargs: Any) -> list[EstimationResult]:
    return [estimate(table, method=m, **kwargs) for m in METHODS]


__all__ = [
    "CRITERIA",
    "DEFAULT_METHOD",
    "METHODS",
    "CaptureTable",
    "EstimationError",
    "EstimationResult",
    "estimate",
    "estimate_all",
]
