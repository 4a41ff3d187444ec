"""Bulk inserts of new model rows for the paths that write tens of thousands at once (imports,
triage), without the per-row SQL compilation of `bulk_create` (which on SQLite also splits a
thousand rows into twenty statements of 999 parameters):

- PostgreSQL: COPY, several times faster than the INSERT … UNNEST of `bulk_create` for wide
  rows with JSON;
- SQLite: one prepared INSERT run by `executemany`;
- anything else: `bulk_create`.

Rows go in the given order, so ids follow it (the audit chain relies on that). With
`set_ids=True` each object gets its primary key: reserved from the sequence before the COPY on
PostgreSQL; on SQLite read back after the insert, when the open write transaction holds the
database's only write lock, so the new ids are the last `len(objs)` of the table.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import connection, models


def insert_many(objs: Sequence[models.Model], *, set_ids: bool = False) -> int:
    """Insert `objs` (all of one model, without primary keys); returns how many."""
    if not objs:
        return 0
    if set_ids and not connection.in_atomic_block:
        raise RuntimeError("insert_many(set_ids=True) needs the caller's transaction")
    model = type(objs[0])
    meta = model._meta
    quote = connection.ops.quote_name
    fields = [f for f in meta.concrete_fields if not f.primary_key]
    table = quote(meta.db_table)
    if connection.vendor == "postgresql":
        if set_ids:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                    [meta.db_table, meta.pk.column, len(objs)],
                )
                for obj, (pk,) in zip(objs, cursor.fetchall(), strict=True):
                    obj.pk = pk
                    obj._state.adding, obj._state.db = False, connection.alias
            fields = [meta.pk, *fields]
        columns = ", ".join(quote(f.column) for f in fields)
        with (
            connection.cursor() as cursor,
            cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy,
        ):
            for obj in objs:
                copy.write_row(
                    [f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields]
                )
        return len(objs)
    if connection.vendor != "sqlite":
        model._default_manager.bulk_create(objs, batch_size=500)
        return len(objs)
    columns = ", ".join(quote(f.column) for f in fields)
    marks = ", ".join(["%s"] * len(fields))
    rows = [[f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields] for obj in objs]
    with connection.cursor() as cursor:
        # names from the model's own metadata, quoted; values are parameters
        cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", rows)  # noqa: S608
        if set_ids:
            cursor.execute(f"SELECT max({quote(meta.pk.column)}) FROM {table}")  # noqa: S608
            last = int(cursor.fetchone()[0])
            for pk, obj in enumerate(objs, start=last - len(objs) + 1):
                obj.pk = pk
                obj._state.adding, obj._state.db = False, connection.alias
    return len(objs)


def refresh_statistics(*model_classes: type[models.Model]) -> None:
    """Tell the query planner the new sizes after a bulk load. Without it PostgreSQL plans
    the next clicks with the statistics of the empty tables (it took a cluster of 9 rows for
    1,600 and started parallel workers for it: 15 ms a query instead of 0.3)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            tables = ", ".join(connection.ops.quote_name(m._meta.db_table) for m in model_classes)
            cursor.execute(f"ANALYZE {tables}")
        elif connection.vendor == "sqlite":
            cursor.execute("PRAGMA optimize")
