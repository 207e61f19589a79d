"""The same model on Splink's Spark backend, pyspark in local mode (needs pyspark and Java 17).

`make install` installs pyspark (the `spark` extra) and CI installs Java, so in CI this test runs;
elsewhere it is skipped only where pyspark is missing.
"""

from __future__ import annotations

import os

import pytest

from rollcall_core.linkage.engines import spark_sql

from .synthetic import lists
from .test_model import frame_of


def _needs_pyspark() -> None:
    if not os.environ.get("CI"):  # in CI a missing pyspark is a failure, not a skip
        pytest.importorskip("pyspark")


def test_conditions_written_for_duckdb_read_as_columns_in_spark_sql():
    # In Spark SQL "given_l" would be a string literal: every level would compare two constants.
    assert spark_sql('"by_high_l" - "by_low_l" <= 2') == "`by_high_l` - `by_low_l` <= 2"
    assert spark_sql('jaro_winkler_similarity("given_l", "given_r") >= 0.92') == (
        "jaro_winkler(`given_l`, `given_r`) >= 0.92"
    )
    assert spark_sql("ELSE") == "ELSE"


@pytest.mark.slow
def test_the_spark_engine_scores_the_pairs_duckdb_scores():
    _needs_pyspark()
    from rollcall_core.linkage.model import local_spark_session, train_and_predict

    records, _ = lists(60, seed=9)
    frame = frame_of(records)
    spark = local_spark_session(cores=2)
    on_spark = train_and_predict(frame, engine="spark", spark=spark, u_max_pairs=1e5)
    on_duckdb = train_and_predict(frame, u_max_pairs=1e5)

    def strong(result):  # type: ignore[no-untyped-def]
        chosen = result.pairs[result.pairs.match_probability >= 0.9]
        return {tuple(sorted(p)) for p in chosen[["unique_id_l", "unique_id_r"]].itertuples(index=False)}

    assert on_spark.engine == "spark"
    assert len(strong(on_duckdb)) > 50
    assert len(strong(on_spark) & strong(on_duckdb)) / len(strong(on_duckdb)) > 0.95
    assert len(strong(on_spark) - strong(on_duckdb)) / len(strong(on_spark)) < 0.05
