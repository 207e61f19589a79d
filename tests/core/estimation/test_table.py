"""Capture tables refuse what is not a table of people, and results cannot be changed once made."""

from __future__ import annotations

import dataclasses
import io
import json
from pathlib import Path

import numpy as np
import pytest

from rollcall_core.estimation import METHODS, CaptureTable, EstimationError, estimate

MSE = Path(__file__).resolve().parents[3].parent / "shared" / "reference" / "mse"
LISTS = ["A", "B", "C"]
GOOD = {(1, 0, 0): 30, (0, 1, 0): 25, (0, 0, 1): 20, (1, 1, 0): 8, (1, 0, 1): 6, (0, 1, 1): 5, (1, 1, 1): 2}


@pytest.mark.parametrize(
    ("counts", "reason"),
    [
        ({(1, 0, 0.5): 3}, "0/1"),
        ({(1, 2, 0): 3}, "0/1"),
        ({("1", "0", "0"): 3}, "0/1"),
        ({(1, 0, 0): -1}, "whole number"),
        ({(1, 0, 0): 2.5}, "whole number"),
        ({(1, 0, 0): float("nan")}, "whole number"),
        ({(1, 0, 0): float("inf")}, "whole number"),
        ({(1, 0, 0): "7"}, "whole number"),
        ({(0, 0, 0): 4}, "all-zero"),
        ({(1, 0): 4}, "2 entries"),
    ],
)
def test_a_table_given_as_patterns_refuses_what_is_not_a_count_of_people(counts, reason):
    with pytest.raises(EstimationError, match=reason):
        CaptureTable.from_patterns(lists=LISTS, counts=counts)


def test_numpy_numbers_are_accepted_as_patterns_and_counts():
    table = CaptureTable.from_patterns(
        lists=LISTS, counts={tuple(np.array(p)): np.int64(c) for p, c in GOOD.items()}
    )
    assert table.observed == sum(GOOD.values())


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("A,B,C,Freq\n1,0,0,nan\n", "whole number"),
        ("A,B,C,Freq\n1,0,0,inf\n", "whole number"),
        ("A,B,C,Freq\n1,0,0,\n", "not a number"),
        ("A,B,C,Freq\n1,0,yes,3\n", "not 0 or 1"),
        ("A,A,C,Freq\n1,0,0,3\n", "same name"),
        ("A,B,C,Freq\n1,0,0,3\n0,1\n", "2 cells"),
        ("", "empty"),
    ],
)
def test_a_csv_table_with_a_bad_cell_is_refused_with_its_row_and_column(text, reason):
    with pytest.raises(EstimationError, match=reason):
        CaptureTable.from_csv(io.StringIO(text))


def test_two_lists_with_the_same_name_are_refused():
    with pytest.raises(EstimationError, match="same name"):
        CaptureTable.from_patterns(lists=["A", "A", "C"], counts=GOOD)


@pytest.mark.parametrize("method", METHODS)
def test_every_method_refuses_a_stratum_of_two_people(method):
    table = CaptureTable.from_patterns(lists=LISTS, counts={(1, 1, 0): 1, (0, 1, 1): 1})
    with pytest.raises(EstimationError, match="too few"):
        estimate(table, method=method)


@pytest.mark.parametrize("method", METHODS)
def test_every_method_refuses_one_list(method):
    table = CaptureTable.from_patterns(lists=["A"], counts={(1,): 50})
    with pytest.raises(EstimationError, match="at least 3 lists"):
        estimate(table, method=method)


@pytest.mark.parametrize("method", ["loglinear", "dga"])
def test_twelve_lists_are_refused_by_the_methods_that_enumerate_models_with_what_to_do(method):
    rng = np.random.default_rng(2)
    captured = rng.random((400, 12)) < 0.3
    seen = captured[captured.any(axis=1)].astype(int)
    patterns, counts = np.unique(seen, axis=0, return_counts=True)
    table = CaptureTable.from_patterns(
        lists=[f"L{i}" for i in range(12)], counts={tuple(p): c for p, c in zip(patterns, counts, strict=True)}
    )
    with pytest.raises(EstimationError, match="12 lists.*stratify"):
        estimate(table, method=method)


def test_the_table_s_counts_cannot_be_changed_after_checking():
    table = CaptureTable.from_patterns(lists=LISTS, counts=GOOD)
    with pytest.raises(TypeError):
        table.counts[(1, 0, 0)] = 1000  # type: ignore[index]


def test_a_result_cannot_be_changed_and_its_json_is_plain():
    result = estimate(CaptureTable.from_patterns(lists=LISTS, counts=GOOD))
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.estimate = 1.0  # type: ignore[misc]
    with pytest.raises(TypeError):
        result.details["criterion"] = "aic"  # type: ignore[index]
    with pytest.raises(TypeError):
        result.diagnostics["df"] = 0  # type: ignore[index]
    data = json.loads(json.dumps(result.to_dict()))
    assert [f.name for f in dataclasses.fields(result)] == [
        "method", "model", "observed", "estimate", "lower", "upper", "level", "lists",
        "draws", "profile", "diagnostics", "warnings", "details",
    ]  # fmt: skip
    assert data["details"]["criterion"] == "bic" and data["lists"] == LISTS
