"""The DuckDB engine: bounded connection, and blocking that scores exactly the pairs Splink's own would."""

from __future__ import annotations

from rollcall_core.linkage.comparisons import STANDARD_BLOCKING_RULES, standard_comparisons
from rollcall_core.linkage.engines import duckdb_connection, register_blocked_pairs
from rollcall_core.linkage.model import settings_for, with_place_shares

from .synthetic import lists
from .test_model import frame_of


def _linker(frame):  # type: ignore[no-untyped-def]
    from splink import DuckDBAPI, Linker

    db_api = DuckDBAPI(connection=duckdb_connection())
    table = db_api.register(with_place_shares(frame)[0])  # as train_and_predict registers it
    settings = settings_for(standard_comparisons(), STANDARD_BLOCKING_RULES)
    return Linker(table, settings, log_level=None), db_api, table


def _pairs(splink_frame):  # type: ignore[no-untyped-def]
    rows = splink_frame.as_duckdbpyrelation().fetchall()
    return {(str(key), str(left), str(right)) for key, left, right in rows}


def test_the_fast_blocking_yields_splinks_pairs_each_with_the_first_rule_that_finds_it():
    records, _ = lists(120, seed=5)
    frame = frame_of(records)
    linker, _, _ = _linker(frame)
    splinks = _pairs(linker.inference.compute_blocked_pairs_for_predict())

    linker, db_api, table = _linker(frame)
    count = register_blocked_pairs(linker, db_api, table, STANDARD_BLOCKING_RULES)
    ours = _pairs(linker.inference.compute_blocked_pairs_for_predict())

    assert len(splinks) > 100
    assert count == len(ours)
    assert ours == splinks


def test_predict_scores_the_registered_pairs():
    records, _ = lists(60, seed=6)
    frame = frame_of(records)
    linker, db_api, table = _linker(frame)
    count = register_blocked_pairs(linker, db_api, table, STANDARD_BLOCKING_RULES)
    scored = linker.inference.predict().as_duckdbpyrelation().fetchall()
    assert len(scored) == count


def test_the_connection_keeps_to_its_memory_budget(monkeypatch):
    monkeypatch.setenv("ROLLCALL_DUCKDB_MEMORY", "512MB")
    monkeypatch.setenv("ROLLCALL_DUCKDB_THREADS", "1")
    con = duckdb_connection()
    limit = con.execute("SELECT current_setting('memory_limit')").fetchall()[0][0]
    threads = con.execute("SELECT current_setting('threads')").fetchall()[0][0]
    assert limit == "488.2 MiB"  # DuckDB shows 512 MB (decimal) in MiB
    assert int(threads) == 1
