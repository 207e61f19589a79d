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
def _lbeta(a, b):  # type: ignore[no-untyped-def]
    return math.lgamma(a) + math.lgamma(b) - math.lgamma(a + b)


@njit(cache=True)
def _class_counts(ones_ptr, ones_idx, A, unseen, beta, members, captured):  # type: ignore[no-untyped-def]
    """members[k] and captured[k, j] from the recorded people's classes (A[p, k], each counting
    beta) and the unrecorded ones' (unseen[k], counting 1: see _sweep)."""
    P, K = A.shape
    members[:] = 0.0
    captured[:, :] = 0.0
    for p in range(P):
        for k in range(K):
            if A[p, k]:
                members[k] += beta * A[p, k]
                for i in range(ones_ptr[p], ones_ptr[p + 1]):
                    captured[k, ones_idx[i]] += beta * A[p, k]
    for k in range(K):
        members[k] += unseen[k]


@njit(cache=True)
def _on_list(ones_ptr, ones_idx, p, j):  # type: ignore[no-untyped-def]
    """Whether pattern p is on list j."""
    for i in range(ones_ptr[p], ones_ptr[p + 1]):
        if ones_idx[i] == j:
            return True
    return False


@njit(cache=True)
def _collapsed(ones_ptr, ones_idx, A, unseen, alpha, J, members, captured):  # type: ignore[no-untyped-def]
    """log p(classes | alpha) + log p(captures | classes), capture probabilities and class weights
    integrated out (Beta(1, 1) and the truncated stick-breaking prior), for the labelled classes of
    everyone, recorded (A[p, k]: people of pattern p in class k) or not (unseen[k]). Fills members
    and captured."""
    K = A.shape[1]
    _class_counts(ones_ptr, ones_idx, A, unseen, 1.0, members, captured)
    total = 0.0
    after = 0.0
    for k in range(K):
        after += members[k]
    for k in range(K):
        after -= members[k]
        if k < K - 1:
            total += _lbeta(1.0 + members[k], alpha + after) - _lbeta(1.0, alpha)
        if members[k] > 0:
            for j in range(J):
                total += _lbeta(1.0 + captured[k, j], 1.0 + members[k] - captured[k, j])
    return total


@njit(cache=True)
def _split_log_probability(
    ones_ptr, ones_idx, J, moved, stayed, moved_unseen, stayed_unseen, inside, outside
):  # type: ignore[no-untyped-def]
    """log of the chance that a split proposal moves exactly `moved` (per pattern; the rest
    `stayed`) out of a class: a list j is chosen uniformly, then each member moves with chance
    `inside` if list j recorded them and `outside` if not (the people never recorded: outside)."""
    P = moved.shape[0]
    terms = np.empty(J)
    for j in range(J):
        s = moved_unseen * math.log(outside) + stayed_unseen * math.log(1.0 - outside)
        for p in range(P):
            if moved[p] == 0 and stayed[p] == 0:
                continue
            q = inside if _on_list(ones_ptr, ones_idx, p, j) else outside
            s += moved[p] * math.log(q) + stayed[p] * math.log(1.0 - q)
        terms[j] = s
    top = terms.max()
    return top + math.log(np.exp(terms - top).sum()) - math.log(J)


@njit(cache=True)
def _split_merge(ones_ptr, ones_idx, A, unseen, alpha, J, members, captured, inside, outside):  # type: ignore[no-untyped-def]
    """One Metropolis-Hastings split or merge of latent classes (a move in the spirit of Jain & Neal
    2004, with a proposal that follows one list instead of a restricted Gibbs scan), on the classes
    with capture probabilities and weights integrated out. Gibbs moves one person at a time, so a
    new class of a few hundred people recorded by two lists forms only by chance; this proposes it
    whole. Split: an occupied class k (uniformly among the O occupied), an empty label (uniformly among the E empty) and a
    list j; each member moves to the new class with chance `inside` if list j recorded them, else
    `outside`. Merge: an ordered pair of occupied classes (uniformly among O(O - 1)), the first
    emptied into the second. Acceptance (split, O -> O + 1): p(z')/p(z) * E / ((O + 1) S), S the
    split's proposal probability summed over lists; a merge uses the inverse. Updates A and unseen
    in place; returns 1 for an accepted split, -1 for a merge, 0 otherwise."""
    P, K = A.shape
    occupied = np.empty(K, dtype=np.int64)
    empty = np.empty(K, dtype=np.int64)
    n_full = 0
    n_empty = 0
    for k in range(K):
        size = unseen[k]
        for p in range(P):
            size += A[p, k]
        if size > 0:
            occupied[n_full] = k
            n_full += 1
        else:
            empty[n_empty] = k
            n_empty += 1
    before = _collapsed(ones_ptr, ones_idx, A, unseen, alpha, J, members, captured)
    moved = np.zeros(P, dtype=np.int64)
    stayed = np.zeros(P, dtype=np.int64)
    if np.random.random() < 0.5:
        if n_full == 0 or n_empty == 0:
            return 0
        k = occupied[np.random.randint(n_full)]
        new = empty[np.random.randint(n_empty)]
        j = np.random.randint(J)
        total_moved = 0
        total_stayed = 0
        for p in range(P):
            if A[p, k] == 0:
                continue
            moved[p] = np.random.binomial(A[p, k], inside if _on_list(ones_ptr, ones_idx, p, j) else outside)
            stayed[p] = A[p, k] - moved[p]
            total_moved += moved[p]
            total_stayed += stayed[p]
        moved_unseen = np.random.binomial(unseen[k], outside) if unseen[k] > 0 else 0
        stayed_unseen = unseen[k] - moved_unseen
        total_moved += moved_unseen
        total_stayed += stayed_unseen
        if total_moved == 0 or total_stayed == 0:
            return 0  # not a split: both classes must keep someone
        for p in range(P):
            A[p, k] -= moved[p]
            A[p, new] += moved[p]
        unseen[k] -= moved_unseen
        unseen[new] += moved_unseen
        after = _collapsed(ones_ptr, ones_idx, A, unseen, alpha, J, members, captured)
        log_s = _split_log_probability(
            ones_ptr, ones_idx, J, moved, stayed, moved_unseen, stayed_unseen, inside, outside
        )
        log_ratio = after - before + math.log(n_empty) - math.log(n_full + 1) - log_s
        if log_ratio >= 0.0 or math.log(np.random.random()) < log_ratio:
            return 1
        for p in range(P):
            A[p, new] -= moved[p]
            A[p, k] += moved[p]
        unseen[new] -= moved_unseen
        unseen[k] += moved_unseen
        return 0
    if n_full < 2:
        return 0
    first = np.random.randint(n_full)
    second = np.random.randint(n_full - 1)
    if second >= first:
        second += 1
    source, target = occupied[first], occupied[second]
    for p in range(P):
        moved[p] = A[p, source]
        stayed[p] = A[p, target]
    moved_unseen, stayed_unseen = unseen[source], unseen[target]
    for p in range(P):
        A[p, target] += A[p, source]
        A[p, source] = 0
    unseen[target] += unseen[source]
    unseen[source] = 0
    after = _collapsed(ones_ptr, ones_idx, A, unseen, alpha, J, members, captured)
    log_s = _split_log_probability(
        ones_ptr, ones_idx, J, moved, stayed, moved_unseen, stayed_unseen, inside, outside
    )
    log_ratio = after - before + math.log(n_full) + log_s - math.log(n_empty + 1)
    if log_ratio >= 0.0 or math.log(np.random.random()) < log_ratio:
        return -1
    for p in range(P):
        A[p, source] = moved[p]
        A[p, target] = stayed[p]
    unseen[source], unseen[target] = moved_unseen, stayed_unseen
    return 0


@njit(cache=True)
def _sweep(ones_ptr, ones_idx, counts, n, beta, lam, pi, alpha, a_alpha, b_alpha, work):  # type: ignore[no-untyped-def]
    """One Gibbs sweep at inverse temperature ``beta``; updates lam and pi in place.

    Returns (number never observed drawn this sweep, new alpha). At beta = 1 these are the model's
    full conditionals; below 1 the observed people's class probabilities are flattened
    (proportional to (pi_k f_k(x))^beta), they count beta each in the updates of lambda and the
    weights, and N - n ~ NegativeBinomial(n * beta, 1 - p0): the Gibbs sampler of the density
    prior(theta) * prod_x [sum_k (pi_k f_k(x))^beta]^n_x * (1 - p0)^(-n beta), see log_target.
    """
    log_lam, base, prob, alloc, members, captured, unseen, V, A, hidden, moves = work
    K, J = lam.shape
    P = ones_ptr.shape[0] - 1
    _class_terms(lam, pi, log_lam, base)
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
        A[p, :] = alloc
    # 2. the unobserved: N - n ~ NegBin(n beta, 1 - p0) as a gamma-Poisson mixture, then classes
    p0 = 0.0
    for k in range(K):
        unseen[k] = math.exp(base[k])  # pi[k] * prod_j (1 - lambda[k, j])
        p0 += unseen[k]
    p0 = min(max(p0, 1e-12), 1 - 1e-12)
    missing = np.random.poisson(np.random.gamma(n * beta, p0 / (1.0 - p0)))
    for k in range(K):
        prob[k] = unseen[k] / p0
    _multinomial(missing, prob, hidden)
    # 2b. split-merge moves on the classes (the model itself only: beta = 1), see _split_merge
    if beta == 1.0:
        for _ in range(moves[0]):
            moves[
                2 + _split_merge(ones_ptr, ones_idx, A, hidden, alpha, J, members, captured, 0.9, 0.05)
            ] += 1
    _class_counts(ones_ptr, ones_idx, A, hidden, beta, members, captured)
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


# nogil: chains run in threads side by side (lcmcr.sample's ``workers``), each with its own seed.
@njit(cache=True, nogil=True)
def run_chain(  # type: ignore[no-untyped-def]
    ones_ptr, ones_idx, counts, J, K, burn_in, draws, thinning, a_alpha, b_alpha, seed, lam0, pi0, betas,
    split_merge, done, stop,
):  # fmt: skip
    """One chain from capture probabilities ``lam0`` (R x K x J) and class weights ``pi0`` (R x K),
    with R replicas at inverse temperatures ``betas`` (betas[0] = 1; R = 1 is the plain Gibbs
    sampler), and ``split_merge`` split-merge moves tried per sweep (replica 0 only). Returns the
    kept N and alpha of replica 0, per neighbouring pair the exchanges accepted and tried, and the
    split-merge moves' outcomes (merges accepted, refused, splits accepted). ``done[0]`` counts the
    iterations run so far, for a caller's thread to report progress while the chain runs; the chain
    ends early when that thread sets ``stop[0]`` (an interrupted run)."""
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
        np.zeros((P, K), dtype=np.int64),
        np.zeros(K, dtype=np.int64),
        # split-merge tries per sweep; then how many were: a merge accepted, refused, a split accepted
        np.array([split_merge, 0, 0, 0], dtype=np.int64),
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
        if stop[0] != 0:
            break
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
            a = _tempered(scores_s, counts, n, betas[r], seen_s) + _tempered(
                scores_r, counts, n, betas[r + 1], seen_r
            )
            a -= _tempered(scores_r, counts, n, betas[r], seen_r) + _tempered(
                scores_s, counts, n, betas[r + 1], seen_s
            )
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
        done[0] = it + 1
    return kept_totals, kept_alpha, accepted, tried, work[10][1:].copy()


def sparse_patterns(X: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Row pointers and list indices of the 1s in each pattern (compressed sparse rows)."""
    ones = [np.flatnonzero(row) for row in X]
    ptr = np.zeros(len(ones) + 1, dtype=np.int64)
    ptr[1:] = np.cumsum([len(o) for o in ones])
    idx = np.concatenate(ones).astype(np.int64) if ones else np.zeros(0, dtype=np.int64)
    return ptr, idx
