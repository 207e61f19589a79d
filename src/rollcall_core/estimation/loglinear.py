"""Log-linear models for capture-recapture (Fienberg 1972; Cormack 1989, 1992), as Rcapture documents them.

Every hierarchical model for k = 3 to 5 lists (8, 113 and 6,893 models) is fitted as a Poisson
GLM to the 2^k - 1 observed cells; the estimated number never observed is exp(intercept), so
N = n + exp(intercept). Models are ranked by BIC as Rcapture defines it (BIC = AIC +
(log n - 2) * rank) or by AIC. The interval of the chosen model is Cormack's profile-likelihood
interval: the multinomial likelihood of the complete table (with N - n people in the unobserved
cell) maximised over the model's parameters, for each N. A bootstrap that repeats model
selection on resampled tables gives an interval that also carries model-selection uncertainty.

Heterogeneity (some people are easier to record than others, on every list) enters as columns that
are functions of k, the number of lists a pattern is on (Rcapture's documentation; Baillargeon &
Rivest 2007): Darroch's f(k) = k^2 / 2, one column; Chao's lower-bound model, the k - 2 columns
(k - 2)+, (k - 3)+, ..., (k - (lists - 1))+, which leave the cells seen three or more times free
and so estimate the unseen from those seen once and twice; negative coefficients of Chao's columns
are set to zero (the column is dropped and the model refitted), as Rcapture does by default.

The fitting is Newton's method (IRLS) in numpy. ``fit_all`` fits every model at once: all models
share the 2^k - 1 cells and the columns of the largest design, so each Newton step is one batched
matrix product and one batched solve over thousands of small systems, where fitting the models one
by one, or building a GLM object per model, spends most of its time in per-call overhead.
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


def model_name(terms: tuple[Term, ...], k: int, heterogeneity: str | None = None) -> str:
    """Rcapture-style name: the generating class, e.g. [12,3,4] or [1,2,3,4] for independence,
    followed by the heterogeneity form if any: [12,13,14] + Darroch."""
    maximal = [t for t in terms if not any(t < other for other in terms)]
    covered = set().union(*terms) if terms else set()
    parts = ["".join(str(i + 1) for i in sorted(t)) for t in sorted(maximal, key=lambda t: sorted(t))]
    parts += [str(i + 1) for i in range(k) if i not in covered]
    parts.sort(key=lambda p: (int(p[0]), len(p), p))
    name = "[" + ",".join(parts) + "]"
    return f"{name} + {heterogeneity.capitalize()}" if heterogeneity else name


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


HETEROGENEITY: tuple[str, ...] = ("darroch", "chao")


@lru_cache(maxsize=32)
def heterogeneity_columns(k: int, kind: str, with_zero: bool = False) -> np.ndarray:
    """The heterogeneity columns of Rcapture's documentation, as functions of k = captures per pattern."""
    captures = _patterns(k, with_zero).sum(axis=1)
    if kind == "darroch":
        return (captures**2 / 2.0)[:, None]
    if kind == "chao":
        return np.column_stack([np.maximum(0.0, captures - j) for j in range(2, k)])
    raise EstimationError(f"heterogeneity {kind!r}: use one of {', '.join(HETEROGENEITY)} (or none)")


def design(
    k: int, terms: tuple[Term, ...], *, with_zero: bool = False, heterogeneity: str | None = None
) -> np.ndarray:
    columns = [_main_effects(k, with_zero)] + [_term_column(k, with_zero, t)[:, None] for t in terms]
    if heterogeneity:
        columns.append(heterogeneity_columns(k, heterogeneity, with_zero))
    return np.column_stack(columns) if len(columns) > 1 else columns[0]


def parse_model(name: str, k: int) -> tuple[Term, ...]:
    """Terms of a model written as its generating class, e.g. "[12,13,14]" (lists numbered from 1)."""
    text = name.strip().removeprefix("[").removesuffix("]")
    terms: set[Term] = set()
    for part in filter(None, (p.strip() for p in text.split(","))):
        if not part.isdigit() or any(not 1 <= int(c) <= k for c in part) or len(set(part)) != len(part):
            raise EstimationError(f"model {name!r}: write generators of lists 1 to {k}, e.g. [12,13,4]")
        members = sorted(int(c) - 1 for c in part)
        if len(members) == k:
            raise EstimationError(f"model {name!r}: the {k}-way term leaves no degree of freedom for N")
        for size in range(2, len(members) + 1):
            terms.update(frozenset(c) for c in combinations(members, size))
    return tuple(sorted(terms, key=lambda t: (len(t), sorted(t))))


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
        # The ridge keeps the system solvable when fitted means underflow (a model running away)
        # and does not move the optimum, where the gradient is zero; the same as in _newton_many.
        hessian = X.T @ (X * mu[:, None]) + 1e-9 * np.eye(X.shape[1])
        step = np.linalg.solve(hessian, gradient)
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
        # Converged when the likelihood and the intercept (log of the unseen count) have settled; a
        # coefficient running to minus infinity for a margin with no one in it does not move N.
        if abs(new - current) < tol * (1 + abs(new)) and abs(step[0]) < 1e-9:
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
    heterogeneity: str | None = None


def _model_fit(
    table: CaptureTable,
    terms: tuple[Term, ...],
    heterogeneity: str | None,
    y: np.ndarray,
    *,
    name: str | None = None,
    saturated: float | None = None,
    intercept: float,
    var_intercept: float,
    loglik: float,
    rank: int,
    converged: bool,
) -> ModelFit:
    """The estimate and criteria of one fitted model, as Rcapture reports them."""
    n = table.observed
    missing = math.exp(min(intercept, 200.0))
    # Delta method, as Rcapture: Var(N) = exp(b0)^2 Var(b0) + exp(b0).
    variance = missing**2 * var_intercept + missing
    stderr = math.sqrt(variance) if math.isfinite(variance) and variance > 0 else math.inf
    if saturated is None:
        saturated = _saturated_loglik(y)
    aic = -2 * loglik + 2 * rank
    return ModelFit(
        name=name or model_name(terms, len(table.lists), heterogeneity),
        terms=terms,
        estimate=n + missing,
        stderr=stderr,
        deviance=2 * (saturated - loglik),
        df=len(y) - rank,
        aic=aic,
        bic=aic + (math.log(n) - 2) * rank,
        converged=converged,
        # A model that puts the unseen count far beyond any plausible size is flagged, as Rcapture does.
        unstable=not converged or missing > 1000 * n,
        heterogeneity=heterogeneity,
    )


def _saturated_loglik(y: np.ndarray) -> float:
    return float(np.sum(special.xlogy(y, y) - y - special.gammaln(y + 1)))


@lru_cache(maxsize=16)
def _model_names(k: int, heterogeneity: str | None) -> tuple[str, ...]:
    return tuple(model_name(terms, k, heterogeneity) for terms in hierarchical_models(k))


def _columns_kept(
    table: CaptureTable, terms: tuple[Term, ...], heterogeneity: str | None, y: np.ndarray | None = None
) -> tuple[list[int], PoissonFit, np.ndarray]:
    """The columns of the model's design that stay, its fit and the observed counts.

    Chao's columns whose coefficient comes out negative are set to zero (dropped, and the model
    refitted), as Rcapture does by default.
    """
    k = len(table.lists)
    X = design(k, terms, heterogeneity=heterogeneity)
    y = cell_counts(table) if y is None else y
    keep = list(range(X.shape[1]))
    fit = fit_poisson(X, y)
    if heterogeneity == "chao":
        first = X.shape[1] - heterogeneity_columns(k, "chao").shape[1]
        while True:
            negative = {keep[i] for i in range(len(keep)) if keep[i] >= first and fit.beta[i] < 0}
            if not negative:
                break
            keep = [c for c in keep if c not in negative]
            fit = fit_poisson(X[:, keep], y)
    return keep, fit, y


def fit_model(
    table: CaptureTable,
    terms: tuple[Term, ...],
    y: np.ndarray | None = None,
    *,
    heterogeneity: str | None = None,
) -> ModelFit:
    """One model: main effects, the interaction ``terms`` and optionally a heterogeneity form."""
    _, fit, y = _columns_kept(table, terms, heterogeneity, y)
    return _model_fit(
        table, terms, heterogeneity, y,
        intercept=float(fit.beta[0]), var_intercept=float(fit.covariance[0, 0]),
        loglik=fit.loglik, rank=fit.rank, converged=fit.converged,
    )  # fmt: skip


@lru_cache(maxsize=8)
def _all_terms(k: int) -> tuple[Term, ...]:
    """Every interaction a hierarchical model on k lists may hold (orders 2 to k - 1), in column order."""
    return tuple(frozenset(c) for size in range(2, k) for c in combinations(range(k), size))


@lru_cache(maxsize=16)
def _model_masks(k: int, heterogeneity: str | None) -> tuple[np.ndarray, np.ndarray]:
    """For every hierarchical model, which columns of the largest design it uses; and the full design.

    Models whose heterogeneity columns are already in the span of their interactions (Darroch's
    k^2 / 2 is a sum of all pairwise terms) add nothing and are left out: ``masks`` has a row only
    for models of full rank.
    """
    terms = _all_terms(k)
    position = {t: k + 1 + i for i, t in enumerate(terms)}
    extra = heterogeneity_columns(k, heterogeneity).shape[1] if heterogeneity else 0
    X = np.column_stack([_main_effects(k, False)] + [_term_column(k, False, t) for t in terms]
                        + ([heterogeneity_columns(k, heterogeneity)] if heterogeneity else []))  # fmt: skip
    models = hierarchical_models(k)
    masks = np.zeros((len(models), X.shape[1]), dtype=bool)
    masks[:, : k + 1] = True
    if extra:
        masks[:, X.shape[1] - extra :] = True
    for m, model in enumerate(models):
        for t in model:
            masks[m, position[t]] = True
    index = np.arange(len(models))
    if heterogeneity:
        stacked = X[None, :, :] * masks[:, None, :]
        full = np.linalg.matrix_rank(stacked) == masks.sum(axis=1)
        index, masks = index[full], masks[full]
    return X, np.column_stack([index, masks]).astype(np.int64)


def _matmul(A: np.ndarray, B: np.ndarray) -> np.ndarray:
    """A @ B for a tall A, as a stack of products of a few rows each.

    OpenBLAS runs a product of more than about a million multiplications on several threads; for
    these small products, on a shared 2-core machine, handing work to threads cost 5 to 50 times
    the arithmetic (measured: 1024 x 31 by 31 x 961 took 18 ms threaded, 4 ms as 32-row blocks;
    with heterogeneity columns, 35 x 1225, 32-row blocks are over the threshold again).
    """
    rows = len(A)
    block = max(1, min(32, 400_000 // (A.shape[1] * B.shape[1])))  # each product under the threshold
    pad = (-rows) % block
    if pad:
        A = np.concatenate([A, np.zeros((pad, A.shape[1]))])
    return (A.reshape(-1, block, A.shape[1]) @ B).reshape(-1, B.shape[1])[:rows]


@lru_cache(maxsize=8)
def _parents(k: int) -> tuple[np.ndarray, np.ndarray]:
    """For every hierarchical model, a model with one term fewer (-1 for independence), and the
    number of terms: fitting in order of size, each model starts from its parent's fit."""
    models = hierarchical_models(k)
    where = {frozenset(m): i for i, m in enumerate(models)}
    parent = np.full(len(models), -1)
    for i, model in enumerate(models):
        if model:
            # Dropping a term that no other term contains keeps the model hierarchical.
            top = next(t for t in reversed(model) if not any(t < other for other in model))
            parent[i] = where[frozenset(model) - {top}]
    return parent, np.array([len(m) for m in models])


def _newton_many(
    X: np.ndarray,
    masks: np.ndarray,
    y: np.ndarray,
    *,
    start: np.ndarray | None = None,
    max_iter: int = 60,
    tol: float = 1e-10,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Poisson log-linear fits of many models at once, model m using the columns where masks[m].

    The same Newton iteration with step halving as ``fit_poisson``, run on a stack of systems: a
    column a model does not use keeps a zero coefficient (its row of the Hessian is the identity's,
    its gradient zero). ``y`` is one vector of counts shared by every model, or one row per model
    (the complete tables of a profile likelihood, each with its own unobserved count). Returns
    coefficients, log-likelihoods (without the constant), the variance of the intercept and whether
    each fit converged.
    """
    M, p = masks.shape
    Y = np.atleast_2d(np.asarray(y, dtype=float))
    shared = Y.shape[0] == 1

    def rows_of(index: np.ndarray) -> np.ndarray:
        return Y if shared else Y[index]

    w = masks.astype(float)
    # Unused columns get the identity; a ridge of 1e-9 keeps a Hessian whose fitted means underflow
    # (a model running away) solvable without moving the optimum, where the gradient is zero.
    outside = np.eye(p)[None] * (1.0 - w + 1e-9)[:, None, :]
    pair = w[:, :, None] * w[:, None, :]

    # X' diag(mu) X for every model as one matrix product: the means times each cell's outer product.
    outer = (X[:, :, None] * X[:, None, :]).reshape(len(X), p * p)

    def hessian(mu: np.ndarray, rows: np.ndarray) -> np.ndarray:
        return _matmul(mu, outer).reshape(len(mu), p, p) * pair[rows] + outside[rows]

    # Start from the given coefficients (a parent model's fit), or from least squares on
    # log(y + 1/2), where there is none: a few Newton steps from either reach the optimum.
    gram = (X.T @ X)[None] * pair + outside
    beta = np.linalg.solve(gram, ((np.log(Y + 0.5) @ X) * w)[..., None])[..., 0]
    if start is not None:
        usable = np.isfinite(start).all(axis=1) & (start[:, 0] < 40)
        beta[usable] = start[usable] * w[usable]
    eta = _matmul(beta, X.T)
    loglik = (eta * Y - np.exp(eta)).sum(axis=1)
    converged = np.zeros(M, dtype=bool)
    active = np.arange(M)
    for _ in range(max_iter):
        if not len(active):
            break
        b, e, ll = beta[active], eta[active], loglik[active]
        ya = rows_of(active)
        mu = np.exp(e)
        gradient = _matmul(ya - mu, X) * w[active]
        step = np.linalg.solve(hessian(mu, active), gradient[..., None])[..., 0]
        scale = np.ones(len(active))
        candidate = b + step
        new_eta = np.clip(_matmul(candidate, X.T), -700, 700)
        new = (new_eta * ya - np.exp(new_eta)).sum(axis=1)
        for _ in range(27):  # halve the step where the likelihood fell, down to 1e-8 of it
            worse = ~(new >= ll - 1e-12)
            if not worse.any():
                break
            scale[worse] /= 2
            candidate[worse] = b[worse] + scale[worse, None] * step[worse]
            new_eta[worse] = np.clip(_matmul(candidate[worse], X.T), -700, 700)
            yw = ya if shared else ya[worse]
            new[worse] = (new_eta[worse] * yw - np.exp(new_eta[worse])).sum(axis=1)
        beta[active], eta[active], loglik[active] = candidate, new_eta, new
        small = np.abs(step[:, 0]) < 1e-9  # as in fit_poisson: the full Newton step for the intercept is nil
        done = (np.abs(new - ll) < tol * (1 + np.abs(new))) & small
        converged[active[done]] = True
        # The unobserved cell running away means no finite estimate under this model (flagged unstable).
        runaway = candidate[:, 0] > 40
        active = active[~(done | runaway)]
    mu = np.exp(eta)
    e0 = np.zeros((M, p, 1))
    e0[:, 0, 0] = 1.0
    with np.errstate(all="ignore"):
        try:
            var0 = np.linalg.solve(hessian(mu, np.arange(M)), e0)[:, 0, 0]
        except np.linalg.LinAlgError:
            var0 = np.linalg.pinv(hessian(mu, np.arange(M)))[:, 0, 0]
    return beta, loglik, var0, converged


def fit_all(
    table: CaptureTable,
    progress: Callable[[int, int], None] | None = None,
    *,
    heterogeneity: str | tuple[str, ...] | None = None,
) -> list[ModelFit]:
    """Every hierarchical model, and with ``heterogeneity`` ("darroch", "chao", "all" or a tuple of
    them) every such model again with each heterogeneity form added (Rcapture's closedpMS.t h=)."""
    table.check_estimable(max_lists=MAX_LISTS_LOGLINEAR)
    k = len(table.lists)
    forms: tuple[str | None, ...] = (None,)
    if heterogeneity == "all":
        forms += HETEROGENEITY
    elif isinstance(heterogeneity, str):
        forms += (heterogeneity,)
    elif heterogeneity:
        forms += tuple(heterogeneity)
    for form in forms[1:]:
        if form not in HETEROGENEITY:
            raise EstimationError(f"heterogeneity {form!r}: use one of {', '.join(HETEROGENEITY)} or all")
    models = hierarchical_models(k)
    y = cell_counts(table)
    constant = _log_factorials(y)
    saturated = _saturated_loglik(y)
    fits: list[ModelFit] = []
    total = sum(len(_model_masks(k, form)[1]) for form in forms)
    chunk = 1024  # bounds memory: a chunk's Hessians are chunk x columns^2 numbers
    parent, size = _parents(k)
    plain = np.full((len(models), k + 1 + len(_all_terms(k))), np.nan)  # coefficients without heterogeneity
    done = 0
    for form in forms:
        X, rows = _model_masks(k, form)
        index_all, masks_all = rows[:, 0], rows[:, 1:].astype(bool)
        coefficients = np.empty((len(rows), X.shape[1]))
        logliks, variances = np.empty(len(rows)), np.empty(len(rows))
        converged_all = np.zeros(len(rows), dtype=bool)
        if form is None:
            # Smaller models first, so that each starts from its parent's fit.
            batches = [np.flatnonzero(size[index_all] == level) for level in np.unique(size)]
        else:
            batches = [np.arange(len(rows))]
        for batch in batches:
            for low in range(0, len(batch), chunk):
                part = batch[low : low + chunk]
                index, masks = index_all[part], masks_all[part].copy()
                if form is None:
                    has_parent = parent[index] >= 0
                    start = np.full((len(part), X.shape[1]), np.nan)
                    start[has_parent] = plain[parent[index[has_parent]]]
                else:
                    start = np.zeros((len(part), X.shape[1]))
                    start[:, : plain.shape[1]] = plain[index]
                beta, loglik, var0, converged = _newton_many(X, masks, y, start=start)
                if form == "chao":
                    # Negative coefficients of Chao's columns are set to zero: drop them and refit.
                    hetero = heterogeneity_columns(k, "chao").shape[1]
                    for _ in range(hetero):
                        negative = masks[:, -hetero:] & (beta[:, -hetero:] < 0)
                        redo = np.flatnonzero(negative.any(axis=1))
                        if not len(redo):
                            break
                        masks[redo, -hetero:] &= ~negative[redo]
                        b, ll, v, c = _newton_many(X, masks[redo], y, start=beta[redo])
                        beta[redo], loglik[redo], var0[redo], converged[redo] = b, ll, v, c
                if form is None:
                    plain[index] = beta
                coefficients[part], logliks[part], variances[part] = beta, loglik, var0
                converged_all[part] = converged
                masks_all[part] = masks
                done += len(part)
                if progress is not None:
                    progress(done, total)
        names = _model_names(k, form)
        for i, m in enumerate(index_all):
            fits.append(
                _model_fit(
                    table, models[m], form, y, name=names[m], saturated=saturated,
                    intercept=float(coefficients[i, 0]), var_intercept=float(variances[i]),
                    loglik=float(logliks[i]) - constant, rank=int(masks_all[i].sum()),
                    converged=bool(converged_all[i]),
                )  # fmt: skip
            )
    return fits


def profile_interval(
    table: CaptureTable, terms: tuple[Term, ...], level: float = 0.95, *, heterogeneity: str | None = None
) -> tuple[float, float, float]:
    """Cormack's profile-likelihood estimate and interval for N under one model.

    For each N, the model is fitted to the complete 2^k table with N - n people in the
    unobserved cell; the profile log-likelihood is the multinomial log-likelihood of that
    complete table. Returns (profile N, lower, upper).
    """
    k = len(table.lists)
    keep, _, _ = _columns_kept(table, terms, heterogeneity)
    X = design(k, terms, with_zero=True, heterogeneity=heterogeneity)[:, keep]
    n = table.observed

    def profile(N: float) -> float:
        z = N - n
        y = cell_counts(table, with_zero=True, zero=z)
        fit = fit_poisson(X, y)
        p = fit.mu / fit.mu.sum()
        return float(special.gammaln(N + 1) - special.gammaln(z + 1) - np.sum(special.gammaln(y[1:] + 1))
                     + np.sum(special.xlogy(y, p)))  # fmt: skip

    point = fit_model(table, terms, heterogeneity=heterogeneity)
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


def _mask_of(table: CaptureTable, fit: ModelFit) -> np.ndarray:
    """Which columns of the largest design (as in ``_model_masks``, for fit's form) the model uses."""
    k = len(table.lists)
    position = {t: k + 1 + i for i, t in enumerate(_all_terms(k))}
    form = fit.heterogeneity
    extra = heterogeneity_columns(k, form).shape[1] if form else 0
    width = k + 1 + len(position) + extra
    mask = np.zeros(width, dtype=bool)
    mask[: k + 1] = True
    for t in fit.terms:
        mask[position[t]] = True
    if form == "chao":
        # Chao's columns whose coefficient came out negative were dropped for this model: the same here.
        keep, _, _ = _columns_kept(table, fit.terms, form)
        mask[[width - extra + (c - (k + 1 + len(fit.terms))) for c in keep if c >= k + 1 + len(fit.terms)]] = True
    elif form:
        mask[width - extra :] = True
    return mask


@dataclass(frozen=True)
class AveragedInterval:
    """The model-averaged estimate and interval over the models that carry the weight (see below)."""

    estimate: float  # Buckland et al. (1997): the weighted mean of the models' estimates
    stderr: float  # their unconditional standard error
    lower: float  # the model-averaged profile-likelihood interval (Fletcher & Turek 2012)
    upper: float
    models: int  # how many models carry the weight kept
    weight_kept: float
    best_weight: float  # the selected model's share


def model_weights(values: list[float]) -> np.ndarray:
    """Akaike / Schwarz weights exp(-delta / 2), normalised (Burnham & Anderson 2002, ch. 4)."""
    delta = np.asarray(values, dtype=float) - min(values)
    w = np.exp(-delta / 2)
    return w / w.sum()


def averaged_interval(
    table: CaptureTable,
    ranked: list[ModelFit],
    criterion: str,
    level: float = 0.95,
    *,
    keep: float = 0.99,
    max_models: int = 200,
) -> AveragedInterval:
    """An interval that carries the uncertainty of choosing a model as well as each model's own.

    The models are weighted by their criterion, w_i ∝ exp(-Δ_i / 2) (with BIC, approximate
    posterior model probabilities; Buckland, Burnham & Augustin 1997; Burnham & Anderson 2002).
    The best models holding ``keep`` of the weight are kept (at most ``max_models``) and their
    weights renormalised: the rest change the interval by less than the rounding of a person.

    The interval is Fletcher & Turek's (2012) model-averaged profile-likelihood interval (a MATA
    interval, Turek & Fletcher 2012): the lower limit L solves Σ w_i Φ(r_i(L)) = α/2 and the upper
    U solves Σ w_i Φ(r_i(U)) = 1 - α/2, where r_i(N) = sign(N - N_i) √(2 (ℓ_i(N_i) - ℓ_i(N))) is the
    signed root of model i's Cormack profile log-likelihood ℓ_i (``profile_interval``). With all the
    weight on one model it is that model's Cormack interval. Each evaluation fits every kept model
    to the complete table at once (``_newton_many``), so the whole costs a few dozen batched fits.
    """
    k = len(table.lists)
    weights = model_weights([getattr(f, criterion) for f in ranked])
    count = min(int(np.searchsorted(np.cumsum(weights), keep)) + 1, max_models, len(ranked))
    fits, w = ranked[:count], weights[:count]
    kept = float(w.sum())
    w = w / kept
    estimates = np.array([f.estimate for f in fits])
    stderrs = np.array([f.stderr for f in fits])
    mean = float(w @ estimates)
    stderr = float(w @ np.sqrt(stderrs**2 + (estimates - mean) ** 2))
    n = table.observed
    y_obs = cell_counts(table)
    constant = float(special.gammaln(y_obs + 1).sum())
    groups: dict[str | None, list[int]] = {}
    for i, f in enumerate(fits):
        groups.setdefault(f.heterogeneity, []).append(i)
    designs = {}
    for form, members in groups.items():
        X0 = np.column_stack([_main_effects(k, True)] + [_term_column(k, True, t) for t in _all_terms(k)]
                             + ([heterogeneity_columns(k, form, True)] if form else []))  # fmt: skip
        designs[form] = (X0, np.array([_mask_of(table, fits[i]) for i in members]), np.array(members))
    starts: dict[str | None, np.ndarray | None] = dict.fromkeys(groups)

    def profiles(missing: np.ndarray) -> np.ndarray:
        """Each kept model's Cormack profile log-likelihood at N = n + missing[i]."""
        out = np.empty(len(fits))
        for form, (X0, masks, members) in designs.items():
            z = missing[members]
            Y = np.column_stack([z, np.broadcast_to(y_obs, (len(z), len(y_obs)))])
            beta, _, _, _ = _newton_many(X0, masks, Y, start=starts[form])
            starts[form] = beta
            eta = _matmul(beta, X0.T)
            log_p = eta - special.logsumexp(eta, axis=1, keepdims=True)
            out[members] = (special.gammaln(n + z + 1) - special.gammaln(z + 1) - constant
                            + (Y * log_p).sum(axis=1))  # fmt: skip
        return out

    # Each model's profile maximum, by golden-section search on log(N - n) around its Poisson
    # estimate, all models at once (Cormack's profile N differs from it by a fraction of a percent).
    centre = np.log(np.maximum(estimates - n, 1e-6))
    a, b = centre - 1.0, centre + 1.0
    ratio = (math.sqrt(5) - 1) / 2
    c, d = b - ratio * (b - a), a + ratio * (b - a)
    fc, fd = profiles(np.exp(c)), profiles(np.exp(d))
    for _ in range(25):  # the bracket shrinks to 1e-5 of log(N - n); the maximum is flat there
        left = fc > fd
        b = np.where(left, d, b)
        a = np.where(left, a, c)
        c_new, d_new = b - ratio * (b - a), a + ratio * (b - a)
        values = profiles(np.exp(np.where(left, c_new, d_new)))
        fc, fd, c, d = np.where(left, values, fd), np.where(left, fc, values), np.where(left, c_new, d), \
            np.where(left, c, d_new)  # fmt: skip
    top_missing = np.exp((a + b) / 2)
    top = np.maximum(profiles(top_missing), np.maximum(fc, fd))
    centres = n + top_missing

    def tail(N: float) -> float:
        """Σ w_i Φ(r_i(N)): the model-averaged probability below N."""
        deviance = np.maximum(2 * (top - profiles(np.full(len(fits), N - n))), 0.0)
        return float(w @ stats.norm.cdf(np.sign(N - centres) * np.sqrt(deviance)))

    alpha = 1 - level
    low_end = n + 1e-9
    if tail(low_end) >= alpha / 2:
        lower = low_end
    else:
        lower = optimize.brentq(lambda N: tail(N) - alpha / 2, low_end, float(centres.max()), xtol=1e-6 * n)
    high = float(centres.max()) * 2 + 10
    upper = math.inf
    while high < 1e9:
        if tail(high) >= 1 - alpha / 2:
            upper = optimize.brentq(lambda N: tail(N) - (1 - alpha / 2), float(centres.min()), high, xtol=1e-6 * n)
            break
        high = n + (high - n) * 2
    return AveragedInterval(mean, stderr, lower, upper, count, kept, float(w[0]))


def bootstrap(
    table: CaptureTable,
    *,
    criterion: str,
    replicates: int,
    seed: int,
    level: float,
    progress: Callable[[int, int], None] | None = None,
    heterogeneity: str | tuple[str, ...] | None = None,
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
            fits = [f for f in fit_all(resampled, heterogeneity=heterogeneity) if not f.unstable]
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
