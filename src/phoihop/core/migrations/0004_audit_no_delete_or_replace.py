"""The audit log refuses DELETE and REPLACE too, on both databases (issue 14, defect 3).

SQLite: 0002 blocked only UPDATE. INSERT OR REPLACE deletes the conflicting row without
firing DELETE triggers (recursive triggers are off), so a BEFORE INSERT trigger refuses any
insert that collides with an existing id or hash, and a BEFORE DELETE trigger refuses deletes.
The DELETE trigger lets a row go only when the connection's `phoihop_audit_purge()` function
answers 1: the test runner's flush between transactional tests sets it (tests/conftest.py); a
connection without the function (the sqlite3 shell) gets "no such function" and deletes
nothing.

PostgreSQL: 0002 already blocks UPDATE and DELETE per row, and INSERT … ON CONFLICT DO UPDATE
runs the UPDATE trigger; TRUNCATE stays possible for the table owner (the test runner).
"""

from django.db import migrations

SQLITE = [
    """CREATE TRIGGER core_auditevent_no_delete BEFORE DELETE ON core_auditevent
       WHEN phoihop_audit_purge() = 0
       BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;""",
    """CREATE TRIGGER core_auditevent_no_replace BEFORE INSERT ON core_auditevent
       WHEN EXISTS (SELECT 1 FROM core_auditevent WHERE id = NEW.id OR hash = NEW.hash)
       BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;""",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS core_auditevent_no_delete;",
    "DROP TRIGGER IF EXISTS core_auditevent_no_replace;",
]


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for sql in SQLITE:
            schema_editor.execute(sql)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for sql in SQLITE_REVERSE:
            schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("core", "0003_unit_centres")]
    operations = [migrations.RunPython(forwards, backwards)]
