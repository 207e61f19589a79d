"""The LCMCR Gibbs sweep as scalar loops, compiled by numba when it is installed.

One chain per call. Same full conditionals as ``lcmcr.sample`` (see its docstring); written as
loops because at a few dozen patterns and classes the per-call cost of numpy, not arithmetic,
bounds the speed: see docs/decisions/0002-numba-for-lcmcr.md for the measurements.

A chain can run replicas at several temperatures (parallel tempering, decision 0008): replica r
samples a flattened posterior in which each observed person's complete-data likelihood is raised
to beta[r] and the number never observed is NegativeBinomial(n * beta[r], 1 - p0); replica 0 has
beta = 1, the model itself, and is the only one whose draws are kept. Neighbouring replicas
exchange their parameters by a Metropolis step on the collapsed density of the parameters (classes
and N summed out, so it can be computed exactly), which lets the cold replica leave a region of
the posterior that its Gibbs moves alone would keep it in for 10^5 iterations.
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
def _class_terms(lam, pi, log_lam, base):  # type: ignore[no-untyped-def]
    """log_lam[k, j] := log odds of capture; base[k] := log(pi[k] * prod_j (1 - lambda[k, j]))."""
    K, J = lam.shape
    for k in range(K):
        s = math.log(pi[k] + 1e-300)
        for j in range(J):
            miss = math.log(max(1.0 - lam[k, j], 1e-300))
            s += miss
            log_lam[k, j] = math.log(max(lam[k, j], 1e-300)) - miss
        base[k] = s


@njit(cache=True)
def _sweep(ones_ptr, ones_idx, counts, n, beta, lam, pi, alpha, a_alpha, b_alpha, work):  # type: ignore[no-untyped-def]
    """One Gibbs sweep at inverse temperature ``beta``; updates lam and pi in place.

    Returns (number never observed drawn this sweep, new alpha). At beta = 1 these are the model's
    full conditionals; below 1 the observed people's class probabilities are flattened
    (proportional to (pi_k f_k(x))^beta), they count beta each in the updates of lambda and the
    weights, and N - n ~ NegativeBinomial(n * beta, 1 - p0): the Gibbs sampler of the density
    prior(theta) * prod_x [sum_k (pi_k f_k(x))^beta]^n_x * (1 - p0)^(-n beta), see log_target.
    """
    log_lam, base, prob, alloc, members, captured, unseen, V = work
    K, J = lam.shape
    P = ones_ptr.shape[0] - 1
    _class_terms(lam, pi, log_lam, base)
    members[:] = 0.0
    captured[:, :] = 0.0
    # 1. classes of the observed, one multinomial per pattern
    for p in range(P):
        top = -np.inf
        for k in range(K):
            s = base[k]
            for i in range(ones_ptr[p], ones_ptr[p + 1]):
                s += log_lam[k, ones_idx[i]]
            s *= beta
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
                members[k] += beta * alloc[k]
                for i in range(ones_ptr[p], ones_ptr[p + 1]):
                    captured[k, ones_idx[i]] += beta * alloc[k]
    # 2. the unobserved: N - n ~ NegBin(n beta, 1 - p0) as a gamma-Poisson mixture, then classes
    p0 = 0.0
    for k in range(K):
        unseen[k] = math.exp(base[k])  # pi[k] * prod_j (1 - lambda[k, j])
        p0 += unseen[k]
    p0 = min(max(p0, 1e-12), 1 - 1e-12)
    missing = np.random.poisson(np.random.gamma(n * beta, p0 / (1.0 - p0)))
    for k in range(K):
        prob[k] = unseen[k] / p0
    _multinomial(missing, prob, alloc)
    for k in range(K):
        members[k] += alloc[k]
    # 3. capture probabilities (the unobserved were captured by no list)
    for k in range(K):
        for j in range(J):
            lam[k, j] = np.random.beta(1.0 + captured[k, j], 1.0 + members[k] - captured[k, j])
    # 4. stick-breaking weights, 5. concentration
    after = 0.0
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
    return missing, alpha


@njit(cache=True)
def _pattern_scores(ones_ptr, ones_idx, lam, pi, log_lam, base, scores):  # type: ignore[no-untyped-def]
    """scores[p, k] := log(pi_k f_k(x_p)) for each observed pattern; returns log(1 - p0).
    They do not depend on the temperature, so one pass serves a state at both ends of an exchange."""
    K, J = lam.shape
    P = ones_ptr.shape[0] - 1
    _class_terms(lam, pi, log_lam, base)
    p0 = 0.0
    for k in range(K):
        p0 += math.exp(base[k])
    for p in range(P):
        for k in range(K):
            s = base[k]
            for i in range(ones_ptr[p], ones_ptr[p + 1]):
                s += log_lam[k, ones_idx[i]]
            scores[p, k] = s
    return math.log(max(1.0 - p0, 1e-300))


@njit(cache=True)
def _tempered(scores, counts, n, beta, log_seen):  # type: ignore[no-untyped-def]
    """The parameters' log density at ``beta`` with classes and N summed out, less the prior
    (which every replica shares, so it cancels in an exchange):
    sum_x n_x log sum_k (pi_k f_k(x))^beta - n beta log(1 - p0), from ``_pattern_scores``.
    At beta = 1 this is the log of the conditional multinomial likelihood prod_x (p_x / (1 - p0))^n_x,
    which the 1/N prior leaves once N is summed out."""
    P, K = scores.shape
    total = 0.0
    for p in range(P):
        top = -np.inf
        for k in range(K):
            if beta * scores[p, k] > top:
                top = beta * scores[p, k]
        norm = 0.0
        for k in range(K):
            norm += math.exp(beta * scores[p, k] - top)
        total += counts[p] * (top + math.log(norm))
    return total - n * beta * log_seen


@njit(cache=True)
def log_target(ones_ptr, ones_idx, counts, n, beta, lam, pi, log_lam, base):  # type: ignore[no-untyped-def]
    """``_tempered`` of one state at one temperature (for checks; the chain uses the two parts)."""
    scores = np.empty((ones_ptr.shape[0] - 1, lam.shape[0]))
    log_seen = _pattern_scores(ones_ptr, ones_idx, lam, pi, log_lam, base, scores)
    return _tempered(scores, counts, n, beta, log_seen)


@njit(cache=True)
def run_chain(  # type: ignore[no-untyped-def]
    ones_ptr, ones_idx, counts, J, K, burn_in, draws, thinning, a_alpha, b_alpha, seed, lam0, pi0, betas
):
    """One chain from capture probabilities ``lam0`` (R x K x J) and class weights ``pi0`` (R x K),
    with R replicas at inverse temperatures ``betas`` (betas[0] = 1; R = 1 is the plain Gibbs
    sampler). Returns the kept N and alpha of replica 0, and per neighbouring pair the exchanges
    accepted and tried."""
    np.random.seed(seed)
    # Pattern p is on lists ones_idx[ones_ptr[p]:ones_ptr[p + 1]]: patterns are sparse (most people
    # are on one or two lists), so loops run over the lists a pattern is on, not over all lists.
    P = ones_ptr.shape[0] - 1
    R = betas.shape[0]
    n = 0
    for p in range(P):
        n += counts[p]
    lam = lam0.copy()
    pi = pi0.copy()
    alpha = np.ones(R)
    work = (
        np.empty((K, J)),
        np.empty(K),
        np.empty(K),
        np.empty(K, dtype=np.int64),
        np.empty(K),
        np.empty((K, J)),
        np.empty(K),
        np.zeros(K),
    )
    log_lam, base = work[0], work[1]
    kept_totals = np.empty(draws)
    kept_alpha = np.empty(draws)
    accepted = np.zeros(max(R - 1, 1))
    tried = np.zeros(max(R - 1, 1))
    scores_r = np.empty((P, K))
    scores_s = np.empty((P, K))
    held = np.empty((K, J))
    held_pi = np.empty(K)
    total_iterations = burn_in + draws * thinning
    for it in range(total_iterations):
        missing = 0
        for r in range(R):
            drawn, alpha[r] = _sweep(
                ones_ptr, ones_idx, counts, n, betas[r], lam[r], pi[r], alpha[r], a_alpha, b_alpha, work
            )
            if r == 0:
                missing = drawn
        # Exchanges between neighbours, even pairs on even iterations and odd pairs on odd ones
        # (the deterministic even-odd scheme lets a state travel the ladder in few iterations).
        for r in range(it % 2, R - 1, 2):
            seen_r = _pattern_scores(ones_ptr, ones_idx, lam[r], pi[r], log_lam, base, scores_r)
            seen_s = _pattern_scores(ones_ptr, ones_idx, lam[r + 1], pi[r + 1], log_lam, base, scores_s)
            a = _tempered(scores_s, counts, n, betas[r], seen_s) + _tempered(scores_r, counts, n, betas[r + 1], seen_r)
            a -= _tempered(scores_r, counts, n, betas[r], seen_r) + _tempered(scores_s, counts, n, betas[r + 1], seen_s)
            tried[r] += 1.0
            if a >= 0.0 or math.log(np.random.random()) < a:
                accepted[r] += 1.0
                held[:, :] = lam[r, :, :]
                lam[r, :, :] = lam[r + 1, :, :]
                lam[r + 1, :, :] = held
                held_pi[:] = pi[r, :]
                pi[r, :] = pi[r + 1, :]
                pi[r + 1, :] = held_pi
                alpha[r], alpha[r + 1] = alpha[r + 1], alpha[r]
        after_burn_in = it - burn_in + 1
        if after_burn_in > 0 and after_burn_in % thinning == 0:
            slot = after_burn_in // thinning - 1
            kept_totals[slot] = n + missing
            kept_alpha[slot] = alpha[0]
    return kept_totals, kept_alpha, accepted, tried


def sparse_patterns(X: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Row pointers and list indices of the 1s in each pattern (compressed sparse rows)."""
    ones = [np.flatnonzero(row) for row in X]
    ptr = np.zeros(len(ones) + 1, dtype=np.int64)
    ptr[1:] = np.cumsum([len(o) for o in ones])
    idx = np.concatenate(ones).astype(np.int64) if ones else np.zeros(0, dtype=np.int64)
    return ptr, idx
