"""Bulk inserts of new model rows for the paths that write tens of thousands at once (imports,
triage): PostgreSQL's COPY, several times faster than the INSERT … UNNEST of `bulk_create`
for wide rows with JSON, and `bulk_create` on the other databases.

Rows go in the given order, so ids follow it (the audit chain relies on that). The objects'
primary keys are not filled in: callers that need them read them back.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import connection, models


def insert_many(objs: Sequence[models.Model], *, batch_size: int = 500) -> int:
    """Insert `objs` (all of one model, without primary keys); returns how many."""
    if not objs:
        return 0
    model = type(objs[0])
    if connection.vendor != "postgresql":
        model._default_manager.bulk_create(objs, batch_size=batch_size)
        return len(objs)
    meta = model._meta
    fields = [f for f in meta.concrete_fields if not f.primary_key]
    quote = connection.ops.quote_name
    statement = "COPY {} ({}) FROM STDIN".format(
        quote(meta.db_table), ", ".join(quote(f.column) for f in fields)
    )
    with connection.cursor() as cursor, cursor.copy(statement) as copy:
        for obj in objs:
            copy.write_row(
                [f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields]
            )
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
