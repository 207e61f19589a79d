"""Bayesian model averaging over decomposable graphical models (Madigan & York 1997).

Each decomposable (chordal) graph on the k lists is a model of how the lists depend on each
other: lists joined by an edge may depend on each other, lists not joined are independent given
the rest. Under a hyper-Dirichlet prior (a Dirichlet with ``delta`` per cell of the full 2^k
table, so ``delta * 2^(k - |C|)`` per cell of a clique's marginal table), the marginal likelihood
of the complete table, including the unobserved cell with N - n people, is available in closed
form: the product over the graph's cliques of Dirichlet-multinomial terms divided by the same for
its separators (Dawid & Lauritzen 1993). Multiplying by N! / (N - n)! (the multinomial coefficient,
up to the observed counts' factorials) and by the prior on N gives the joint posterior of the
graph and N; summing over graphs gives the model-averaged posterior of N.

The graphs are generated, not tabulated: all 2^(k(k-1)/2) graphs on k nodes, kept if chordal
(8 for 3 lists, 61 for 4, 822 for 5).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from itertools import combinations

import networkx as nx
import numpy as np
from scipy import special

from rollcall_core.estimation.table import CaptureTable, EstimationError

MAX_LISTS_DGA = 5


@dataclass(frozen=True)
class Graph:
    """A decomposable graph: its edges, maximal cliques and separators (as tuples of list indices)."""

    edges: tuple[tuple[int, int], ...]
    cliques: tuple[tuple[int, ...], ...]
    separators: tuple[tuple[int, ...], ...]

    def name(self, k: int) -> str:
        """Cliques written like log-linear generating classes, e.g. [12,3]."""
        parts = ["".join(str(i + 1) for i in c) for c in self.cliques]
        parts.sort(key=lambda p: (int(p[0]), len(p), p))
        return "[" + ",".join(parts) + "]"


@lru_cache(maxsize=8)
def decomposable_graphs(k: int) -> tuple[Graph, ...]:
    """Every decomposable graph on k labelled nodes (8, 61 and 822 for k = 3, 4, 5)."""
    pairs = list(combinations(range(k), 2))
    graphs: list[Graph] = []
    for mask in range(1 << len(pairs)):
        edges = tuple(p for bit, p in enumerate(pairs) if mask >> bit & 1)
        g = nx.Graph()
        g.add_nodes_from(range(k))
        g.add_edges_from(edges)
        if not nx.is_chordal(g):
            continue
        cliques = [tuple(sorted(c)) for c in nx.find_cliques(g)]
        # A junction tree is a maximum-weight spanning tree of the cliques, weighted by the
        # size of their intersections; its edges' intersections are the separators.
        clique_graph = nx.Graph()
        clique_graph.add_nodes_from(range(len(cliques)))
        for a, b in combinations(range(len(cliques)), 2):
            clique_graph.add_edge(a, b, weight=len(set(cliques[a]) & set(cliques[b])))
        tree = nx.maximum_spanning_tree(clique_graph)
        separators = tuple(
            tuple(sorted(set(cliques[a]) & set(cliques[b])))
            for a, b in tree.edges()
            if set(cliques[a]) & set(cliques[b])
        )
        graphs.append(Graph(edges=edges, cliques=tuple(sorted(cliques)), separators=separators))
    return tuple(graphs)


def _marginal_log_likelihood(
    counts: np.ndarray,
    patterns: np.ndarray,
    members: tuple[int, ...],
    k: int,
    delta: float,
    missing: np.ndarray,
) -> np.ndarray:
    """Dirichlet-multinomial log marginal likelihood of the marginal table over ``members``,
    for each number of unobserved people in ``missing`` (they fall in the all-zero cell)."""
    if not members:
        return np.zeros(len(missing))
    weights = 1 << np.arange(len(members))
    cells = patterns[:, list(members)] @ weights
    size = 1 << len(members)
    marginal = np.bincount(cells, weights=counts, minlength=size)
    cell_delta = delta * 2.0 ** (k - len(members))
    total_delta = cell_delta * size
    n = counts.sum()
    fixed = special.gammaln(marginal[1:] + cell_delta).sum() - (size - 1) * special.gammaln(cell_delta)
    zero = special.gammaln(marginal[0] + missing + cell_delta) - special.gammaln(cell_delta)
    return special.gammaln(total_delta) - special.gammaln(total_delta + n + missing) + fixed + zero


def log_posterior(
    table: CaptureTable,
    missing: np.ndarray,
    *,
    delta: float,
    log_prior: np.ndarray,
    graphs: tuple[Graph, ...] | None = None,
) -> tuple[tuple[Graph, ...], np.ndarray]:
    """Unnormalised log joint posterior of (graph, N - n): one row per graph, one column per value."""
    k = len(table.lists)
    graphs = graphs or decomposable_graphs(k)
    patterns = np.array(list(table.counts), dtype=np.int64).reshape(-1, k)
    counts = np.array(list(table.counts.values()), dtype=float)
    n = counts.sum()
    cache: dict[tuple[int, ...], np.ndarray] = {}

    def term(members: tuple[int, ...]) -> np.ndarray:
        if members not in cache:
            cache[members] = _marginal_log_likelihood(counts, patterns, members, k, delta, missing)
        return cache[members]

    combinatorial = special.gammaln(n + missing + 1) - special.gammaln(missing + 1)
    rows = np.empty((len(graphs), len(missing)))
    for g, graph in enumerate(graphs):
        row = combinatorial + log_prior
        for clique in graph.cliques:
            row = row + term(clique)
        for separator in graph.separators:
            row = row - term(separator)
        rows[g] = row
    return graphs, rows


@dataclass(frozen=True)
class DgaPosterior:
    missing: np.ndarray  # values of N - n
    graphs: tuple[Graph, ...]
    joint: np.ndarray  # normalised posterior, graphs x values

    @property
    def graph_probabilities(self) -> np.ndarray:
        return self.joint.sum(axis=1)

    @property
    def averaged(self) -> np.ndarray:
        return self.joint.sum(axis=0)


def posterior(
    table: CaptureTable,
    *,
    delta: float | None = None,
    max_missing: int | None = None,
    min_missing: int = 0,
    log_prior: Callable[[np.ndarray], np.ndarray] | None = None,
) -> DgaPosterior:
    """Joint posterior of graph and N - n. The default prior on N is proportional to 1/N and the
    default delta is 2^-k (dga's suggestion); results are sensitive to delta, so it is reported."""
    k = len(table.lists)
    table.check_estimable(max_lists=MAX_LISTS_DGA)
    delta = 2.0**-k if delta is None else float(delta)
    if delta <= 0:
        raise EstimationError("delta must be positive (2^-k is the usual choice)")
    n = table.observed
    if max_missing is None:
        max_missing = max(1000, 10 * n)
    missing = np.arange(min_missing, max_missing + 1, dtype=float)
    prior = -np.log(n + missing) if log_prior is None else np.asarray(log_prior(n + missing), dtype=float)
    graphs, rows = log_posterior(table, missing, delta=delta, log_prior=prior)
    rows -= rows.max()
    joint = np.exp(rows)
    joint /= joint.sum()
    return DgaPosterior(missing=missing, graphs=graphs, joint=joint)


def summarise(values: np.ndarray, weights: np.ndarray, level: float) -> dict[str, float]:
    """Mean, median, mode and the central interval of a discrete distribution."""
    weights = weights / weights.sum()
    cdf = np.cumsum(weights)
    tail = (1 - level) / 2

    def quantile(q: float) -> float:
        return float(values[min(int(np.searchsorted(cdf, q - 1e-12)), len(values) - 1)])

    return {
        "mean": float((values * weights).sum()),
        "median": quantile(0.5),
        "mode": float(values[int(np.argmax(weights))]),
        "lower": quantile(tail),
        "upper": quantile(1 - tail),
        # Madigan & York's Bayes estimate under relative squared error loss ((N^ - N) / N)^2.
        "bayes_relative": float((weights / values).sum() / (weights / values**2).sum()),
        "mass_at_upper_end": float(weights[-1]),
    }
