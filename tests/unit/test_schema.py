"""The two migration folders build the same schema.

Migrations are written per dialect (SQLite and PostgreSQL spell types, triggers and
functions differently); the queries are written once for both. So both must end with the same
tables, columns (kind, nullability), primary keys, indexes and triggers — and every timestamp
column must be in :data:`storage.driver.TIME_COLUMNS`, which is how SQLite's text becomes a
datetime on the way out.
"""

from __future__ import annotations

import sqlite3
import uuid

import asyncpg

from storage.driver import DATE_COLUMNS, TIME_COLUMNS
from storage.postgres import PostgresStorage
from storage.sqlite import SQLiteStorage
from tests.postgres import postgres_dsn

# PostgreSQL type -> the SQLite declared type it is kept as
KINDS = {
    "integer": "INTEGER",
    "bigint": "INTEGER",
    "smallint": "INTEGER",
    "boolean": "INTEGER",  # 0/1
    "text": "TEXT",
    "timestamp with time zone": "TEXT",  # ISO-8601 UTC
    "date": "TEXT",  # ISO date
    "double precision": "REAL",
    "real": "REAL",
}


def sqlite_schema(path) -> tuple[dict, set, set, set]:
    with sqlite3.connect(path) as raw:
        tables = [
            row[0]
            for row in raw.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' "
                "AND name NOT LIKE 'sqlite_%' ORDER BY name"
            )
        ]
        columns, keys = {}, set()
        for table in tables:
            for _, name, kind, notnull, _, pk in raw.execute(f"PRAGMA table_info({table})"):
                columns[(table, name)] = (kind.upper(), bool(notnull or pk))
                if pk:
                    keys.add((table, name))
        indexes = {
            row[0]
            for row in raw.execute(
                "SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
            )
        }
        triggers = {
            row[0] for row in raw.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        }
    return columns, keys, indexes, triggers


async def postgres_schema(con, schema: str) -> tuple[dict, set, set, set]:
    columns = {}
    for row in await con.fetch(
        "SELECT table_name, column_name, data_type, is_nullable FROM information_schema.columns "
        "WHERE table_schema = $1 AND table_name != 'cxcoach_schema'",
        schema,
    ):
        columns[(row["table_name"], row["column_name"])] = (
            row["data_type"],
            row["is_nullable"] == "NO",
        )
    keys = {
        (row["table_name"], row["column_name"])
        for row in await con.fetch(
            "SELECT k.table_name, k.column_name FROM information_schema.table_constraints c "
            "JOIN information_schema.key_column_usage k ON k.constraint_name = c.constraint_name "
            "AND k.table_schema = c.table_schema WHERE c.table_schema = $1 "
            "AND c.constraint_type = 'PRIMARY KEY'",
            schema,
        )
    }
    indexes = {
        row["indexname"]
        for row in await con.fetch(
            "SELECT indexname FROM pg_indexes WHERE schemaname = $1 AND indexname NOT LIKE "
            "'%_pkey' AND indexname NOT LIKE '%_key'",
            schema,
        )
    }
    triggers = {
        row["trigger_name"]
        for row in await con.fetch(
            "SELECT trigger_name FROM information_schema.triggers WHERE trigger_schema = $1",
            schema,
        )
    }
    return columns, keys, indexes, triggers


async def test_both_migration_folders_build_the_same_schema(tmp_path):
    dsn = await postgres_dsn()
    sqlite = SQLiteStorage(tmp_path / "cx.sqlite3")
    await sqlite.open()
    version = await sqlite.schema_version()
    await sqlite.close()
    lite_columns, lite_keys, lite_indexes, lite_triggers = sqlite_schema(tmp_path / "cx.sqlite3")
    schema = f"schema_{uuid.uuid4().hex[:10]}"
    admin = await asyncpg.connect(dsn)
    await admin.execute(f"CREATE SCHEMA {schema}")
    try:
        pg = PostgresStorage(dsn, schema=schema, pool_size=2)
        await pg.open()
        assert await pg.schema_version() == version
        await pg.close()
        pg_columns, pg_keys, pg_indexes, pg_triggers = await postgres_schema(admin, schema)
    finally:
        await admin.execute(f"DROP SCHEMA {schema} CASCADE")
        await admin.close()
    assert set(pg_columns) == set(lite_columns), set(pg_columns) ^ set(lite_columns)
    for column, (pg_type, required) in pg_columns.items():
        lite_kind, lite_required = lite_columns[column]
        assert lite_kind == KINDS[pg_type], (column, lite_kind, pg_type)
        assert lite_required == required, (column, "NOT NULL differs")
    assert pg_keys == lite_keys
    assert pg_indexes == lite_indexes, pg_indexes ^ lite_indexes
    assert pg_triggers == lite_triggers, pg_triggers ^ lite_triggers
    # every timestamp column, and only those, is turned into a datetime on SQLite's side
    of_type = lambda wanted: {name for (_, name), (t, _) in pg_columns.items() if t == wanted}  # noqa: E731
    assert of_type("timestamp with time zone") == TIME_COLUMNS
    assert of_type("date") == DATE_COLUMNS
