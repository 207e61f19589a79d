"""LCMCR: the Bayesian non-parametric latent class model for capture-recapture (Manrique-Vallier 2016).

People fall into at most K latent classes; within a class the lists capture independently, with
class-specific probabilities lambda[k, j] ~ Beta(1, 1). Class weights follow a truncated
stick-breaking Dirichlet process with concentration alpha ~ Gamma(a, b) (a = b = 0.25); the prior
on N is proportional to 1/N. Mixing over classes lets capture probabilities differ between people
(heterogeneity) and so induces dependence between lists without naming it.

The Gibbs sampler, written from the paper's full conditionals:

1. each observed person's class, given the class weights and capture probabilities; people with
   the same capture pattern share a conditional, so one multinomial draw per pattern suffices;
2. the number never observed, N - n ~ NegativeBinomial(n, 1 - p0) with p0 the probability of
   being missed by every list (the 1/N prior makes this exact), and their classes, multinomial
   with weights proportional to pi[k] * prod_j (1 - lambda[k, j]);
3. lambda[k, j] ~ Beta(1 + captured, 1 + not captured) over the class's members, seen or not;
4. the stick-breaking fractions V[k] ~ Beta(1 + m[k], alpha + sum_{l > k} m[l]);
5. alpha ~ Gamma(a + K - 1, b - sum_{k < K} log(1 - V[k])).

Several chains run side by side as one set of arrays (the chain is the first axis), so numpy's
per-call overhead is paid once per iteration for all chains.

With ``replicas`` > 1 (compiled path only) each chain is a parallel-tempering chain (Geyer 1991;
Earl & Deem 2005): replicas at inverse temperatures ``tempering_ladder(replicas, coldest)`` each
run the sweep above on a flattened posterior and neighbours swap their parameters by a Metropolis
step, so that the cold replica (the model itself, whose draws alone are kept) can cross between
regions of a multimodal posterior; see ``_lcmcr_kernel`` and docs/decisions/0008.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, wait
from dataclasses import dataclass

import numpy as np

from rollcall_core.estimation import _lcmcr_kernel
from rollcall_core.estimation.table import CaptureTable, EstimationError

MAX_CLASSES = 15
PROGRESS_SECONDS = 0.5  # how often a long compiled run reports its progress


@dataclass(frozen=True)
class LcmcrDraws:
    totals: np.ndarray  # chains x kept draws of N
    alpha: np.ndarray  # chains x kept draws
    iterations: int  # per chain, burn-in included
    betas: tuple[float, ...] = (1.0,)  # the tempering ladder (one entry: plain Gibbs)
    swap_rates: tuple[float, ...] = ()  # per neighbouring pair of the ladder, over all chains
    # Split-merge moves over all chains: merges accepted, moves refused, splits accepted.
    split_merge: tuple[int, int, int] = (0, 0, 0)


def tempering_ladder(replicas: int, coldest: float) -> np.ndarray:
    """Inverse temperatures from 1 down to ``coldest``, geometrically spaced (Earl & Deem 2005: a
    geometric ladder keeps the swap rate between neighbours roughly even when the log-likelihood's
    spread grows like its mean)."""
    if replicas < 1:
        raise EstimationError("replicas must be at least 1")
    if replicas == 1:
        return np.ones(1)
    if not 0 < coldest < 1:
        raise EstimationError("the coldest inverse temperature must be between 0 and 1, e.g. 0.1")
    return np.geomspace(1.0, coldest, replicas)


def default_classes(lists: int) -> int:
    """HRDAG's production choice: K = min(2^J - 1, 15)."""
    return min(2**lists - 1, MAX_CLASSES)


def sample(
    table: CaptureTable,
    *,
    classes: int | None = None,
    chains: int = 4,
    burn_in: int = 10_000,
    draws: int = 1_000,
    thinning: int = 500,
    a_alpha: float = 0.25,
    b_alpha: float = 0.25,
    seed: int = 1,
    progress: Callable[[int, int], None] | None = None,
    use_numba: bool = True,
    replicas: int = 1,
    coldest: float = 0.1,
    split_merge: int = 0,
    workers: int | None = None,
) -> LcmcrDraws:
    """Run ``chains`` Gibbs chains; keep every ``thinning``-th state after ``burn_in`` iterations.

    ``replicas`` > 1 makes each chain a parallel-tempering chain with that many replicas, down to
    inverse temperature ``coldest``; it costs about three times ``replicas`` as much per iteration.
    ``split_merge`` > 0 tries that many split-merge moves on the classes each iteration (compiled
    path only; see ``_lcmcr_kernel._split_merge``).
    ``workers`` compiled chains run at once, in threads (default: one per core); the draws do
    not depend on it.
    """
    table.check_estimable()
    lists = len(table.lists)
    K = classes or default_classes(lists)
    if K < 1 or chains < 1 or draws < 1 or thinning < 1 or burn_in < 0:
        raise EstimationError("classes, chains, draws and thinning must be positive; burn_in not negative")
    betas = tempering_ladder(replicas, coldest)
    X = np.array(list(table.counts), dtype=float).reshape(-1, lists)  # patterns x lists
    counts = np.array(list(table.counts.values()), dtype=np.int64)
    if split_merge < 0:
        raise EstimationError("split_merge (moves tried per iteration) must not be negative")
    if workers is None:
        workers = os.cpu_count() or 1
    if workers < 1:
        raise EstimationError("workers (chains run at once) must be at least 1")
    if _lcmcr_kernel.AVAILABLE and use_numba:
        return _sample_compiled(
            X, counts, K, chains, burn_in, draws, thinning, a_alpha, b_alpha, seed, progress, betas, split_merge,
            workers,
        )  # fmt: skip
    if replicas > 1:
        raise EstimationError("parallel tempering (replicas > 1) needs numba, the compiled sampler")
    if split_merge:
        raise EstimationError("split-merge moves (split_merge > 0) need numba, the compiled sampler")
    rng = np.random.default_rng(seed)
    n = int(counts.sum())
    C = chains

    lam = rng.beta(1.0, 1.0, size=(C, K, lists))
    alpha = np.ones(C)
    pi = np.full((C, K), 1.0 / K)
    counts_by_chain = np.broadcast_to(counts, (C, len(counts)))

    total_iterations = burn_in + draws * thinning
    kept_totals = np.empty((C, draws))
    kept_alpha = np.empty((C, draws))
    report_every = max(1, total_iterations // 200)
    tiny = 1e-300

    for it in range(total_iterations):
        log_lam = np.log(np.maximum(lam, tiny))
        log_miss = np.log(np.maximum(1.0 - lam, tiny))
        # 1. classes of the observed, one multinomial per (chain, pattern)
        log_p = (
            np.einsum("pj,ckj->cpk", X, log_lam - log_miss)
            + (log_miss.sum(-1) + np.log(pi + tiny))[:, None, :]
        )
        log_p -= log_p.max(-1, keepdims=True)
        prob = np.exp(log_p)
        prob /= prob.sum(-1, keepdims=True)
        z = rng.multinomial(counts_by_chain, prob)  # chains x patterns x classes
        # 2. the unobserved: how many, and their classes
        unseen = pi * np.exp(log_miss.sum(-1))  # chains x classes
        p0 = np.clip(unseen.sum(-1), 1e-12, 1 - 1e-12)
        missing = rng.negative_binomial(n, 1.0 - p0)
        missing_z = rng.multinomial(missing, unseen / unseen.sum(-1, keepdims=True))
        # 3. capture probabilities
        members = z.sum(1) + missing_z  # chains x classes
        captured = np.einsum("cpk,pj->ckj", z, X)
        lam = rng.beta(1.0 + captured, 1.0 + members[:, :, None] - captured)
        # 4. stick-breaking weights
        after = members[:, ::-1].cumsum(-1)[:, ::-1] - members
        V = rng.beta(1.0 + members[:, : K - 1], alpha[:, None] + after[:, : K - 1])
        V = np.minimum(V, 1 - 1e-12)
        remaining = np.concatenate([np.ones((C, 1)), np.cumprod(1.0 - V, axis=1)], axis=1)
        pi = remaining * np.concatenate([V, np.ones((C, 1))], axis=1)
        # 5. concentration
        alpha = rng.gamma(a_alpha + K - 1, 1.0 / (b_alpha - np.log1p(-V).sum(-1)))

        if it >= burn_in and (it - burn_in + 1) % thinning == 0:
            slot = (it - burn_in + 1) // thinning - 1
            kept_totals[:, slot] = n + missing
            kept_alpha[:, slot] = alpha
        if progress and (it + 1) % report_every == 0:
            progress(it + 1, total_iterations)
    if progress:
        progress(total_iterations, total_iterations)
    return LcmcrDraws(totals=kept_totals, alpha=kept_alpha, iterations=total_iterations)


def _sample_compiled(
    X: np.ndarray,
    counts: np.ndarray,
    K: int,
    chains: int,
    burn_in: int,
    draws: int,
    thinning: int,
    a_alpha: float,
    b_alpha: float,
    seed: int,
    progress: Callable[[int, int], None] | None,
    betas: np.ndarray,
    split_merge: int,
    workers: int,
) -> LcmcrDraws:
    """Compiled chains, each seeded from the caller's seed, run ``workers`` at a time in threads
    (the kernel releases the GIL): the draws are the same whatever ``workers`` is."""
    ptr, idx = _lcmcr_kernel.sparse_patterns(X.astype(np.int64))
    seeds = np.random.SeedSequence(seed).generate_state(chains)
    per_chain = burn_in + draws * thinning
    R = len(betas)
    contiguous_betas = np.ascontiguousarray(betas, dtype=float)

    done = np.zeros((chains, 1), dtype=np.int64)  # iterations run, per chain, written by the kernel
    stop = np.zeros(1, dtype=np.int64)  # set here, read by every chain once an iteration

    def chain(c: int) -> tuple[np.ndarray, ...]:
        # Each replica starts from the prior: capture probabilities Beta(1, 1), equal class weights.
        start = np.random.default_rng(int(seeds[c]))
        lam0 = start.beta(1.0, 1.0, size=(R, K, X.shape[1]))
        pi0 = np.full((R, K), 1.0 / K)
        return _lcmcr_kernel.run_chain(  # type: ignore[no-any-return]
            ptr, idx, counts, X.shape[1], K, burn_in, draws, thinning, a_alpha, b_alpha, int(seeds[c]),
            lam0, pi0, contiguous_betas, split_merge, done[c], stop,
        )  # fmt: skip

    with ThreadPoolExecutor(max_workers=min(workers, chains)) as pool:
        futures = [pool.submit(chain, c) for c in range(chains)]
        pending = set(futures)
        try:
            while pending:
                # The chains run without the GIL; this thread reads their counters to report progress.
                _, pending = wait(pending, timeout=PROGRESS_SECONDS)
                if progress:
                    progress(int(done.sum()), chains * per_chain)
        except BaseException:
            # Ctrl-C, or a progress report that failed: compiled code cannot be interrupted, so tell
            # every chain to end now rather than leave the user waiting for minutes of sampling.
            stop[0] = 1
            raise
        results = [future.result() for future in futures]
    totals = np.empty((chains, draws))
    alphas = np.empty((chains, draws))
    accepted = np.zeros(max(R - 1, 1))
    tried = np.zeros(max(R - 1, 1))
    moves = np.zeros(3, dtype=np.int64)
    for c, result in enumerate(results):
        totals[c], alphas[c], took, asked, outcomes = result
        moves += outcomes
        accepted += took
        tried += asked
    rates = tuple(float(a / t) for a, t in zip(accepted, tried, strict=True) if t) if R > 1 else ()
    return LcmcrDraws(totals=totals, alpha=alphas, iterations=per_chain,
                      betas=tuple(float(b) for b in betas), swap_rates=rates,
                      split_merge=(int(moves[0]), int(moves[1]), int(moves[2])))  # fmt: skip


def split_rhat(chains: np.ndarray) -> float:
    """Gelman-Rubin potential scale reduction on split chains (Gelman et al., BDA3 ch. 11)."""
    half = chains.shape[1] // 2
    if half < 2:
        return float("nan")
    split = np.concatenate([chains[:, :half], chains[:, half : 2 * half]], axis=0)
    m, length = split.shape
    within = split.var(axis=1, ddof=1).mean()
    between = length * split.mean(axis=1).var(ddof=1)
    if within == 0:
        return 1.0
    pooled = (length - 1) / length * within + between / length
    return float(np.sqrt(pooled / within))


def effective_sample_size(chains: np.ndarray) -> float:
    """Multi-chain ESS with Geyer's initial positive sequence on the averaged autocorrelation."""
    m, length = chains.shape
    if length < 4:
        return float(m * length)
    centred = chains - chains.mean(axis=1, keepdims=True)
    variance = centred.var(axis=1).mean()
    if variance == 0:
        return float(m * length)
    spectrum = np.fft.rfft(centred, n=2 * length, axis=1)
    acov = np.fft.irfft(spectrum * np.conj(spectrum), axis=1)[:, :length] / length
    rho = acov.mean(axis=0) / variance
    total = 0.0
    for t in range(0, length - 1, 2):
        pair = rho[t] + rho[t + 1]
        if pair < 0:
            break
        total += pair
    tau = max(2 * total - 1, 1e-9)
    return float(min(m * length / tau, m * length))
