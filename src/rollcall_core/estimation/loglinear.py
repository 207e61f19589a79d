"""Log-linear models for capture-recapture (Fienberg 1972; Cormack 1989, 1992), as Rcapture documents them.

Every hierarchical model for k = 3 to 5 lists (8, 113 and 6,893 models) is fitted as a Poisson
GLM to the 2^k - 1 observed cells; the estimated number never observed is exp(intercept), so
N = n + exp(intercept). Models are ranked by BIC as Rcapture defines it (BIC = AIC +
(log n - 2) * rank) or by AIC. The interval of the chosen model is Cormack's profile-likelihood
interval: the multinomial likelihood of the complete table (with N - n people in the unobserved
cell) maximised over the model's parameters, for each N. A bootstrap that repeats model
selection on resampled tables gives an interval that also carries model-selection uncertainty.

The fitting is a small Newton (IRLS) solver in numpy: thousands of 31-cell fits, each a few
hundred microseconds, where a general GLM library spends most of its time on set-up.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from itertools import combinations

import numpy as np
from scipy import optimize, special, stats

from rollcall_core.estimation.table import MAX_LISTS_LOGLINEAR, CaptureTable, EstimationError

Term = frozenset[int]


@lru_cache(maxsize=8)
def hierarchical_models(k: int) -> tuple[tuple[Term, ...], ...]:
    """Every hierarchical set of interaction terms (orders 2 to k-1) for k lists."""
    pairs = [frozenset(c) for c in combinations(range(k), 2)]
    families: list[frozenset[Term]] = [
        frozenset(s) for r in range(len(pairs) + 1) for s in combinations(pairs, r)
    ]
    for size in range(3, k):
        higher = [frozenset(c) for c in combinations(range(k), size)]
        grown: list[frozenset[Term]] = []
        for family in families:
            allowed = [
                t for t in higher if all(frozenset(c) in family for c in combinations(sorted(t), size - 1))
            ]
            for r in range(len(allowed) + 1):
                for extra in combinations(allowed, r):
                    grown.append(family | frozenset(extra))
        families = grown
    return tuple(tuple(sorted(f, key=lambda t: (len(t), sorted(t)))) for f in families)


def model_name(terms: tuple[Term, ...], k: int) -> str:
    """Rcapture-style name: the generating class, e.g. [12,3,4] or [1,2,3,4] for independence."""
    maximal = [t for t in terms if not any(t < other for other in terms)]
    covered = set().union(*terms) if terms else set()
    parts = ["".join(str(i + 1) for i in sorted(t)) for t in sorted(maximal, key=lambda t: sorted(t))]
    parts += [str(i + 1) for i in range(k) if i not in covered]
    parts.sort(key=lambda p: (int(p[0]), len(p), p))
    return "[" + ",".join(parts) + "]"


@lru_cache(maxsize=16)
def _patterns(k: int, with_zero: bool) -> np.ndarray:
    rows = [
        tuple((index >> (k - 1 - j)) & 1 for j in range(k)) for index in range(0 if with_zero else 1, 2**k)
    ]
    return np.array(rows, dtype=float)


@lru_cache(maxsize=16)
def _main_effects(k: int, with_zero: bool) -> np.ndarray:
    patterns = _patterns(k, with_zero)
    return np.column_stack([np.ones(len(patterns))] + [patterns[:, j] for j in range(k)])


@lru_cache(maxsize=8192)
def _term_column(k: int, with_zero: bool, term: Term) -> np.ndarray:
    return np.prod(_patterns(k, with_zero)[:, sorted(term)], axis=1)


def design(k: int, terms: tuple[Term, ...], *, with_zero: bool = False) -> np.ndarray:
    base = _main_effects(k, with_zero)
    if not terms:
        return base
    return np.column_stack([base] + [_term_column(k, with_zero, t) for t in terms])


def cell_counts(table: CaptureTable, *, with_zero: bool = False, zero: float = 0.0) -> np.ndarray:
    k = len(table.lists)
    patterns = _patterns(k, with_zero)
    counts = [float(table.counts.get(tuple(int(x) for x in row), 0)) for row in patterns]
    if with_zero:
        counts[0] = zero
    return np.array(counts)


@dataclass(frozen=True)
class PoissonFit:
    beta: np.ndarray
    mu: np.ndarray
    loglik: float
    rank: int
    covariance: np.ndarray
    converged: bool


def fit_poisson(X: np.ndarray, y: np.ndarray, *, max_iter: int = 60, tol: float = 1e-10) -> PoissonFit:
    """Poisson regression with log link by Newton's method (IRLS) with step halving."""
    # Hierarchical designs on 0/1 patterns have independent columns: the rank is their number.
    rank = X.shape[1]
    beta = np.zeros(X.shape[1])
    beta[0] = math.log(max(y.mean(), 0.5))
    eta = X @ beta

    def loglik_of(eta: np.ndarray) -> float:
        return float(np.sum(y * eta - np.exp(eta)))

    current = loglik_of(eta)
    converged = False
    for _ in range(max_iter):
        mu = np.exp(eta)
        gradient = X.T @ (y - mu)
        hessian = X.T @ (X * mu[:, None])
        try:
            step = np.linalg.solve(hessian, gradient)
        except np.linalg.LinAlgError:
            step = np.linalg.lstsq(hessian, gradient, rcond=None)[0]
        scale = 1.0
        while True:
            candidate = beta + scale * step
            new_eta = np.clip(X @ candidate, -700, 700)
            new = loglik_of(new_eta)
            if new >= current - 1e-12 or scale < 1e-8:
                break
            scale /= 2
        beta, eta = candidate, new_eta
        if beta[0] > 40:
            break  # the unobserved cell runs away: no finite estimate under this model (flagged unstable)
        if abs(new - current) < tol * (1 + abs(new)) and float(np.max(np.abs(scale * step))) < 1e-7:
            current = new
            converged = True
            break
        current = new
    mu = np.exp(eta)
    try:
        covariance = np.linalg.inv(X.T @ (X * mu[:, None]))
    except np.linalg.LinAlgError:
        covariance = np.linalg.pinv(X.T @ (X * mu[:, None]))
    return PoissonFit(beta, mu, current - _log_factorials(y), rank, covariance, converged)


def _log_factorials(y: np.ndarray) -> float:
    return float(np.sum(special.gammaln(y + 1)))


@dataclass(frozen=True)
class ModelFit:
    name: str
    terms: tuple[Term, ...]
    estimate: float
    stderr: float
    deviance: float
    df: int
    aic: float
    bic: float
    converged: bool
    unstable: bool


def fit_model(table: CaptureTable, terms: tuple[Term, ...], y: np.ndarray | None = None) -> ModelFit:
    k = len(table.lists)
    X = design(k, terms)
    y = cell_counts(table) if y is None else y
    fit = fit_poisson(X, y)
    n = table.observed
    missing = math.exp(min(float(fit.beta[0]), 200.0))
    # Delta method, as Rcapture: Var(N) = exp(b0)^2 Var(b0) + exp(b0).
    variance = missing**2 * float(fit.covariance[0, 0]) + missing
    stderr = math.sqrt(variance) if math.isfinite(variance) and variance > 0 else math.inf
    saturated = float(np.sum(special.xlogy(y, y) - y - special.gammaln(y + 1)))
    deviance = 2 * (saturated - fit.loglik)
    aic = -2 * fit.loglik + 2 * fit.rank
    bic = aic + (math.log(n) - 2) * fit.rank
    return ModelFit(
        name=model_name(terms, k),
        terms=terms,
        estimate=n + missing,
        stderr=stderr,
        deviance=deviance,
        df=len(y) - fit.rank,
        aic=aic,
        bic=bic,
        converged=fit.converged,
        # A model that puts the unseen count far beyond any plausible size is flagged, as Rcapture does.
        unstable=not fit.converged or missing > 1000 * n,
    )


def fit_all(table: CaptureTable, progress: Callable[[int, int], None] | None = None) -> list[ModelFit]:
    table.check_estimable(max_lists=MAX_LISTS_LOGLINEAR)
    models = hierarchical_models(len(table.lists))
    y = cell_counts(table)
    fits = []
    for index, terms in enumerate(models):
        fits.append(fit_model(table, terms, y))
        if progress is not None and index % 200 == 0:
            progress(index, len(models))
    if progress is not None:
        progress(len(models), len(models))
    return fits


def profile_interval(
    table: CaptureTable, terms: tuple[Term, ...], level: float = 0.95
) -> tuple[float, float, float]:
    """Cormack's profile-likelihood estimate and interval for N under one model.

    For each N, the model is fitted to the complete 2^k table with N - n people in the
    unobserved cell; the profile log-likelihood is the multinomial log-likelihood of that
    complete table. Returns (profile N, lower, upper).
    """
    k = len(table.lists)
    X = design(k, terms, with_zero=True)
    n = table.observed

    def profile(N: float) -> float:
        z = N - n
        y = cell_counts(table, with_zero=True, zero=z)
        fit = fit_poisson(X, y)
        p = fit.mu / fit.mu.sum()
        return float(special.gammaln(N + 1) - special.gammaln(z + 1) - np.sum(special.gammaln(y[1:] + 1))
                     + np.sum(special.xlogy(y, p)))  # fmt: skip

    point = fit_model(table, terms)
    start = max(point.estimate - n, 1e-6)
    result = optimize.minimize_scalar(
        lambda log_z: -profile(n + math.exp(log_z)), bracket=(math.log(start) - 0.5, math.log(start) + 0.5)
    )
    best_z = math.exp(float(result.x))
    top = profile(n + best_z)
    cut = stats.chi2.ppf(level, 1) / 2

    def gap(N: float) -> float:
        return top - profile(N) - cut

    lower_bound = n + 1e-9
    lower = lower_bound if gap(lower_bound) < 0 else optimize.brentq(gap, lower_bound, n + best_z)
    high = n + best_z * 2 + 10
    while gap(high) < 0:
        high = n + (high - n) * 2
        if high > 1e9:
            return n + best_z, lower, math.inf
    upper = optimize.brentq(gap, n + best_z, high)
    return n + best_z, lower, upper


def bootstrap(
    table: CaptureTable,
    *,
    criterion: str,
    replicates: int,
    seed: int,
    level: float,
    progress: Callable[[int, int], None] | None = None,
) -> tuple[float, float, list[float]]:
    """Percentile interval from parametric-free multinomial resamples of the observed people, repeating selection."""
    rng = np.random.default_rng(seed)
    patterns = list(table.counts)
    counts = np.array([table.counts[p] for p in patterns], dtype=float)
    n = int(counts.sum())
    estimates = []
    for index in range(replicates):
        draw = rng.multinomial(n, counts / n)
        resampled = CaptureTable(
            lists=table.lists, counts={p: int(c) for p, c in zip(patterns, draw, strict=True) if c}
        )
        try:
            fits = [f for f in fit_all(resampled) if not f.unstable]
        except EstimationError:
            continue
        if fits:
            chosen = min(fits, key=lambda f: getattr(f, criterion))
            estimates.append(chosen.estimate)
        if progress is not None:
            progress(index + 1, replicates)
    if len(estimates) < replicates // 2:
        raise EstimationError("most bootstrap tables could not be fitted: the table is too sparse")
    alpha = (1 - level) / 2
    return float(np.quantile(estimates, alpha)), float(np.quantile(estimates, 1 - alpha)), estimates
