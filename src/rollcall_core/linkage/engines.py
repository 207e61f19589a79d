"""Where Splink runs: a bounded DuckDB connection, a local Spark session, and fast blocking on DuckDB.

DuckDB by default takes 80% of the machine's memory and every core; on a shared server the
linkage run must stay within a stated budget, so the connection is opened with a memory limit
and a thread count (spilling to a temporary directory beyond it).

Blocking: Splink writes the blocked pairs as one join per rule, each excluding the pairs of
every earlier rule with NOT (rule_0 OR rule_1 ...). DuckDB evaluates those exclusions row by
row on every candidate pair, which on the demo at 100k records took 85 of the 97 seconds of
blocking. `register_blocked_pairs` computes the same set (each pair once, tagged with the first
rule that finds it) as a plain UNION ALL of the joins grouped by pair, and hands it to Splink's
predict through `register_blocked_pairs_for_predict`.
"""

from __future__ import annotations

import copy
import os
import re
import tempfile
from collections.abc import Sequence
from typing import Any

from rollcall_core.linkage.blocking import (
    BIRTH_ORDER,
    DEFAULT_WINDOW,
    ID_ORDER,
    BlockingRule,
    blocked_pairs_sql,
)

# With the rest of a million-record run (features, record ids, Django) the process peaked at 3.8-3.96 GB
# with 3GB; 2.5GB keeps it near 3.7 GB in the same time (80-87 s either way on the 2-core machine).
DEFAULT_DUCKDB_MEMORY = "2.5GB"


def duckdb_connection(memory_limit: str | None = None, threads: int | None = None) -> Any:
    """An in-memory DuckDB connection within a memory budget (ROLLCALL_DUCKDB_MEMORY, ROLLCALL_DUCKDB_THREADS,
    and ROLLCALL_DUCKDB_SPILL for what may spill to disk)."""
    import duckdb

    memory_limit = memory_limit or os.environ.get("ROLLCALL_DUCKDB_MEMORY", DEFAULT_DUCKDB_MEMORY)
    threads = threads or int(os.environ.get("ROLLCALL_DUCKDB_THREADS", "0") or 0) or (os.cpu_count() or 1)
    spill = os.path.join(tempfile.gettempdir(), "rollcall-duckdb")
    config: dict[str, str | bool | int | float | list[str]] = {
        "memory_limit": memory_limit,
        "threads": threads,
        "temp_directory": spill,
        # Beyond this, a run fails with DuckDB's out-of-space error instead of filling a shared disk.
        "max_temp_directory_size": os.environ.get("ROLLCALL_DUCKDB_SPILL", "20GB"),
    }
    return duckdb.connect(":memory:", config=config)


def local_spark_session(cores: int = 2) -> Any:
    """A local pyspark session with Splink's similarity UDF jar and a checkpoint directory.

    Splink breaks long Spark lineages by checkpointing, which needs a checkpoint directory.
    """
    from pyspark.sql import SparkSession
    from splink.backends.spark import similarity_jar_location

    session = (
        SparkSession.builder.master(f"local[{cores}]")
        .appName("rollcall-linkage")
        .config("spark.jars", similarity_jar_location())
        .config("spark.sql.shuffle.partitions", str(cores * 4))
        .config("spark.ui.enabled", "false")
        .config("spark.driver.memory", os.environ.get("ROLLCALL_SPARK_DRIVER_MEMORY", "2g"))
        # Checkpoint files are removed once nothing refers to them, not left behind per run.
        .config("spark.cleaner.referenceTracking.cleanCheckpoints", "true")
        .getOrCreate()
    )
    if session.sparkContext.getCheckpointDir() is None:
        session.sparkContext.setCheckpointDir(
            os.path.join(tempfile.gettempdir(), "rollcall-spark-checkpoints")
        )
    return session


def spark_table(session: Any, frame: Any) -> Any:
    """A Spark DataFrame from a feature table, through Arrow (no pandas conversion inside pyspark)."""
    import pyarrow as pa

    table = frame if isinstance(frame, pa.Table) else pa.Table.from_pandas(frame, preserve_index=False)
    # A column with no value at all comes out of Arrow typed null, which Spark cannot compare.
    for index, column in enumerate(table.schema):
        if pa.types.is_null(column.type):
            table = table.set_column(index, column.name, table.column(index).cast(pa.string()))
    return session.createDataFrame(table)


def register_blocked_pairs(
    linker: Any, db_api: Any, table: Any, rules: Sequence[BlockingRule], window: int = DEFAULT_WINDOW
) -> int:
    """Compute the blocked pairs of a one-table deduplication on DuckDB (within each block, every
    neighbour up to `window` away in birth-year order) and register them for predict.

    Returns how many pairs predict will score.
    """
    con = db_api.duckdb_con
    name = table.physical_name
    columns = {row[0] for row in con.execute(f"DESCRIBE {name}").fetchall()}  # noqa: S608 - Splink's name
    order = BIRTH_ORDER if {"by_low", "by_high"} <= columns else ID_ORDER
    # DuckDB wants every result fetched to the end before the next statement on the connection.
    con.execute(
        f"CREATE OR REPLACE TABLE __rollcall_blocked_pairs AS {blocked_pairs_sql(name, tuple(rules), window, order)}"
    ).fetchall()
    count = int(con.execute("SELECT count(*) FROM __rollcall_blocked_pairs").fetchall()[0][0])
    pairs = db_api.register("__rollcall_blocked_pairs")
    linker.table_management.register_blocked_pairs_for_predict(pairs)
    return count


def spark_api(session: Any) -> Any:
    """Splink's SparkAPI, registering pandas feature tables through Arrow.

    pyspark's own pandas conversion warns that it does not support pandas 3 yet; an Arrow table
    carries the nullable integer columns as bigint and needs no pandas inside pyspark at all.
    """
    from splink import SparkAPI

    class ArrowSparkAPI(SparkAPI):  # type: ignore[misc]
        def register(self, table: Any, **kwargs: Any) -> Any:
            if hasattr(table, "to_numpy") or type(table).__name__ == "Table":
                table = spark_table(self.spark, table)
            return super().register(table, **kwargs)

    return ArrowSparkAPI(spark_session=session)


def spark_sql(sql: str) -> str:
    """A comparison or blocking condition written for DuckDB, in Spark SQL.

    Splink reads a settings dictionary's SQL in the backend's dialect, and in Spark SQL a
    double-quoted "given_l" is a string literal, not a column: every condition would compare
    constants. sqlglot rewrites the quoting; DuckDB's jaro_winkler_similarity is the
    jaro_winkler function of Splink's Spark UDF jar.
    """
    if sql.strip().upper() == "ELSE":
        return sql
    import sqlglot

    out = sqlglot.transpile(sql, read="duckdb", write="spark")[0]
    return re.sub(r"\bJAROWINKLER_SIMILARITY\(", "jaro_winkler(", out, flags=re.IGNORECASE)


def spark_settings(settings: dict[str, Any]) -> dict[str, Any]:
    """A Splink settings dictionary written for DuckDB, with every condition in Spark SQL."""
    out = copy.deepcopy(settings)
    for comparison in out.get("comparisons", []):
        for level in comparison["comparison_levels"]:
            level["sql_condition"] = spark_sql(level["sql_condition"])
    for rule in out.get("blocking_rules_to_generate_predictions", []):
        rule["blocking_rule"] = spark_sql(rule["blocking_rule"])
    return out
