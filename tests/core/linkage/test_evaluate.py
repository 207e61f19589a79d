"""The pairwise scores agree with an independent scorer's (bench/gen4/score.py, written without rollcall's code)."""

from __future__ import annotations

import importlib.util
import random
from pathlib import Path

import pytest

from rollcall_core.linkage.evaluate import pairwise_scores

_SCORER = Path(__file__).resolve().parents[3] / "bench" / "gen4" / "score.py"


def _independent():
    spec = importlib.util.spec_from_file_location("gen4_score", _SCORER)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("seed", range(20))
def test_pairwise_precision_recall_and_f1_agree_with_an_independent_scorer_on_random_clusterings(seed):
    rng = random.Random(seed)
    records = [("list", str(i)) for i in range(rng.randint(1, 60))]
    truth = {r: f"p{rng.randint(0, len(records) // 2)}" for r in records}
    predicted = {r: f"c{rng.randint(0, len(records) // 2)}" for r in records}
    mine, theirs = pairwise_scores(predicted, truth), _independent().pair_scores(truth, predicted)
    assert (mine.true_positives, mine.predicted, mine.actual) == (
        theirs["correct_pairs"], theirs["predicted_pairs"], theirs["true_pairs"])  # fmt: skip
    assert mine.f1 == pytest.approx(theirs["f1"])
