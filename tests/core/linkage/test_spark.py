"""The same model on Splink's Spark backend, pyspark in local mode (needs pyspark and Java 17)."""

from __future__ import annotations

import pytest

from .synthetic import lists
from .test_model import frame_of

pytest.importorskip("pyspark")


@pytest.mark.slow
def test_the_spark_engine_scores_the_pairs_duckdb_scores():
    from rollcall_core.linkage.model import local_spark_session, train_and_predict

    records, _ = lists(60, seed=9)
    frame = frame_of(records)
    spark = local_spark_session(cores=2)
    on_spark = train_and_predict(spark.createDataFrame(frame.astype(object).where(frame.notna(), None)),
                                 engine="spark", spark=spark, u_max_pairs=1e5)  # fmt: skip
    on_duckdb = train_and_predict(frame, u_max_pairs=1e5)
    strong = lambda r: {tuple(sorted(p)) for p in  # noqa: E731
                        r.pairs[r.pairs.match_probability >= 0.9][["unique_id_l", "unique_id_r"]].itertuples(index=False)}  # fmt: skip
    overlap = len(strong(on_spark) & strong(on_duckdb)) / max(len(strong(on_duckdb)), 1)
    assert overlap > 0.9
