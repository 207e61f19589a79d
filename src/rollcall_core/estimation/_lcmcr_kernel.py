"""The LCMCR Gibbs sweep as scalar loops, compiled by numba when it is installed.

One chain per call. Same full conditionals as ``lcmcr.sample`` (see its docstring); written as
loops because at a few dozen patterns and classes the per-call cost of numpy, not arithmetic,
bounds the speed: see docs/decisions/0002-numba-for-lcmcr.md for the measurements.
"""

from __future__ import annotations

import math

import numpy as np

try:  # numba is optional: without it lcmcr.sample uses its numpy path.
    from numba import njit

    AVAILABLE = True
except ImportError:  # pragma: no cover - exercised only where numba is absent
    AVAILABLE = False

    def njit(*args, **kwargs):  # type: ignore[no-redef,no-untyped-def]
        def wrap(function):  # type: ignore[no-untyped-def]
            return function

        return wrap


@njit(cache=True)
def _multinomial(total, prob, out):  # type: ignore[no-untyped-def]
    """Sequential conditional binomials: out ~ Multinomial(total, prob), prob summing to 1."""
    left = total
    mass = 1.0
    K = prob.shape[0]
    for k in range(K - 1):
        if left <= 0:
            out[k] = 0
            continue
        p = prob[k] / mass if mass > 0 else 0.0
        if p >= 1.0:
            out[k] = left
            left = 0
            continue
        if p <= 0.0:
            out[k] = 0
        else:
            drawn = np.random.binomial(left, p)
            out[k] = drawn
            left -= drawn
        mass -= prob[k]
    out[K - 1] = left


@njit(cache=True)
def run_chain(ones_ptr, ones_idx, counts, J, K, burn_in, draws, thinning, a_alpha, b_alpha, seed, lam0, pi0):  # type: ignore[no-untyped-def]
    """One chain from capture probabilities ``lam0`` (K x J) and class weights ``pi0``."""
    np.random.seed(seed)
    # Pattern p is on lists ones_idx[ones_ptr[p]:ones_ptr[p + 1]]: patterns are sparse (most people
    # are on one or two lists), so loops run over the lists a pattern is on, not over all lists.
    P = ones_ptr.shape[0] - 1
    n = 0
    for p in range(P):
        n += counts[p]
    lam = lam0.copy()
    pi = pi0.copy()
    alpha = 1.0
    V = np.zeros(K)
    log_lam = np.empty((K, J))
    log_miss = np.empty((K, J))
    base = np.empty(K)
    prob = np.empty(K)
    alloc = np.empty(K, dtype=np.int64)
    members = np.empty(K, dtype=np.int64)
    captured = np.empty((K, J), dtype=np.int64)
    unseen = np.empty(K)
    kept_totals = np.empty(draws)
    kept_alpha = np.empty(draws)
    total_iterations = burn_in + draws * thinning
    for it in range(total_iterations):
        for k in range(K):
            for j in range(J):
                log_lam[k, j] = math.log(max(lam[k, j], 1e-300))
                log_miss[k, j] = math.log(max(1.0 - lam[k, j], 1e-300))
        for k in range(K):
            s = math.log(pi[k] + 1e-300)
            for j in range(J):
                s += log_miss[k, j]
                log_lam[k, j] -= log_miss[k, j]  # now the log odds of capture
            base[k] = s
        members[:] = 0
        captured[:, :] = 0
        # 1. classes of the observed, one multinomial per pattern
        for p in range(P):
            top = -np.inf
            for k in range(K):
                s = base[k]
                for i in range(ones_ptr[p], ones_ptr[p + 1]):
                    s += log_lam[k, ones_idx[i]]
                prob[k] = s
                if s > top:
                    top = s
            norm = 0.0
            for k in range(K):
                prob[k] = math.exp(prob[k] - top)
                norm += prob[k]
            for k in range(K):
                prob[k] /= norm
            if counts[p] <= 4:
                # Few people (the usual case): one categorical draw each is cheaper than K binomials.
                alloc[:] = 0
                for _ in range(counts[p]):
                    u = np.random.random()
                    k = 0
                    while k < K - 1 and u >= prob[k]:
                        u -= prob[k]
                        k += 1
                    alloc[k] += 1
            else:
                _multinomial(counts[p], prob, alloc)
            for k in range(K):
                if alloc[k]:
                    members[k] += alloc[k]
                    for i in range(ones_ptr[p], ones_ptr[p + 1]):
                        captured[k, ones_idx[i]] += alloc[k]
        # 2. the unobserved: N - n ~ NegBin(n, 1 - p0) as a gamma-Poisson mixture, then classes
        p0 = 0.0
        for k in range(K):
            unseen[k] = math.exp(base[k])  # pi[k] * prod_j (1 - lambda[k, j])
            p0 += unseen[k]
        p0 = min(max(p0, 1e-12), 1 - 1e-12)
        missing = np.random.poisson(np.random.gamma(n, p0 / (1.0 - p0)))
        for k in range(K):
            prob[k] = unseen[k] / p0
        _multinomial(missing, prob, alloc)
        for k in range(K):
            members[k] += alloc[k]
        # 3. capture probabilities
        for k in range(K):
            for j in range(J):
                lam[k, j] = np.random.beta(1.0 + captured[k, j], 1.0 + members[k] - captured[k, j])
        # 4. stick-breaking weights, 5. concentration
        after = 0
        for k in range(K):
            after += members[k]
        remaining = 1.0
        log_rest = 0.0
        for k in range(K - 1):
            after -= members[k]
            v = np.random.beta(1.0 + members[k], alpha + after)
            v = min(v, 1 - 1e-12)
            V[k] = v
            pi[k] = remaining * v
            remaining *= 1.0 - v
            log_rest += math.log(1.0 - v)
        pi[K - 1] = remaining
        alpha = np.random.gamma(a_alpha + K - 1, 1.0 / (b_alpha - log_rest))
        if it >= burn_in and (it - burn_in + 1) % thinning == 0:
            slot = (it - burn_in + 1) // thinning - 1
            kept_totals[slot] = n + missing
            kept_alpha[slot] = alpha
    return kept_totals, kept_alpha


def sparse_patterns(X: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Row pointers and list indices of the 1s in each pattern (compressed sparse rows)."""
    ones = [np.flatnonzero(row) for row in X]
    ptr = np.zeros(len(ones) + 1, dtype=np.int64)
    ptr[1:] = np.cumsum([len(o) for o in ones])
    idx = np.concatenate(ones).astype(np.int64) if ones else np.zeros(0, dtype=np.int64)
    return ptr, idx
