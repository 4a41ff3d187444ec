"""The staff data's generation (core.writes) and «Việc của tôi» kept per generation: every
committed write that a work list may read brings the list up to date on the next view, however
it was made; quiet writes (a citizen's feedback, sessions, the audit log) keep it."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.core.cache import cache
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from tests.factories import AgencyFactory

from phoihop.cases import services
from phoihop.cases.forms import IssueFilterForm
from phoihop.cases.models import Assignment, Issue
from phoihop.core import writes
from phoihop.intake.services import feedback_submit


@pytest.mark.parametrize(
    ("sql", "writes_data"),
    [
        ('SELECT "cases_issue"."id" FROM "cases_issue"', False),
        ('SELECT 1 FROM "cases_assignment" FOR UPDATE', False),
        ('SAVEPOINT "s1_x1"', False),
        ("BEGIN", False),
        ('UPDATE "cases_assignment" SET "deadline" = %s', True),
        ('DELETE FROM "cases_issue" WHERE "id" = %s', True),
        ('INSERT INTO "cases_issue" ("title") VALUES (%s)', True),
        ('INSERT OR REPLACE INTO "core_membership" VALUES (%s)', True),
        ('CREATE TABLE "new_table" ("id" integer)', True),
        ('INSERT INTO "django_session" ("session_key") VALUES (%s)', False),
        ('UPDATE "api_apitoken" SET "last_used_at" = %s', False),
        ('INSERT INTO "core_auditevent" ("at") VALUES (%s)', False),
        ('INSERT INTO "intake_signal" ("channel") VALUES (%s)', False),
        ('UPDATE "intake_signal" SET "title" = %s', True),  # a listed signal's title
    ],
)
def test_which_statements_change_staff_data(sql: str, writes_data: bool) -> None:
    assert writes.writes_staff_data(sql) is writes_data


@pytest.mark.django_db(transaction=True)  # the bump waits for the commit
def test_a_committed_write_bumps_once_and_a_rollback_never(world: Any) -> None:
    start = writes.generation()
    with transaction.atomic():
        for title in ("Một", "Hai", "Ba"):
            services.issue_create(by=world.coordinator, title=title)
        assert writes.generation() == start  # not before the commit
    assert writes.generation() == start + 1

    with pytest.raises(RuntimeError), transaction.atomic():
        services.issue_create(by=world.coordinator, title="Bốn")
        raise RuntimeError
    assert writes.generation() == start + 1

    Issue.objects.filter(title="Một").update(title="Một (sửa)")  # no model signal is sent
    assert writes.generation() == start + 2
    with connection.cursor() as cursor:
        cursor.execute("UPDATE cases_issue SET title = %s WHERE title = %s", ["Hai!", "Hai"])
    assert writes.generation() == start + 3


@pytest.mark.django_db(transaction=True)
def test_quiet_writes_keep_the_generation(world: Any) -> None:
    start = writes.generation()
    feedback_submit(content="Đèn đường ngõ 7 hỏng đã hai tuần, trời tối rất nguy hiểm.")
    session = SessionStore()
    session["x"] = 1
    session.save()
    assert writes.generation() == start


def test_a_lost_generation_starts_somewhere_new() -> None:
    cache.delete(writes.KEY)
    first = writes.generation()
    cache.delete(writes.KEY)
    assert writes.generation() != first  # entries kept under `first` are never read again
    writes.bump()
    cache.delete(writes.KEY)
    writes.bump()  # a bump with no generation starts one
    assert cache.get(writes.KEY) is not None


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.django_db(transaction=True)
def test_inbox_is_kept_per_generation_and_follows_every_change(
    world: Any, assigned: Issue, settings: Any
) -> None:
    settings.PHOIHOP_STAFF_CACHE_SECONDS = 60
    cache.clear()
    issue = assigned
    client = _client(world.handler)
    with CaptureQueriesContext(connection) as first:
        page = client.get("/cong-viec/").content.decode()
    assert issue.title in page and "Quá hạn" not in page
    with CaptureQueriesContext(connection) as second:
        again = client.get("/cong-viec/").content.decode()
    assert issue.title in again and "Quá hạn" not in again
    assert len(second) <= len(first) - 5  # the providers' queries are not run again

    # A bulk update, as a deadline sweep would make it: no model signal, still seen at once.
    Assignment.objects.filter(issue=issue).update(
        deadline=timezone.localdate() - dt.timedelta(days=7)
    )
    assert "Quá hạn" in client.get("/cong-viec/").content.decode()
    # A citizen's feedback leaves the kept list alone.
    before = writes.generation()
    feedback_submit(content="Cống thoát nước khu phố 3 bị tắc, nước tràn ra đường.")
    assert writes.generation() == before
    # Another person's list is their own.
    assert issue.title not in _client(world.other_handler).get("/cong-viec/").content.decode()


@pytest.mark.django_db(transaction=True)
def test_pickers_keep_their_choices_until_the_data_changes(world: Any, settings: Any) -> None:
    settings.PHOIHOP_STAFF_CACHE_SECONDS = 60
    cache.clear()
    with CaptureQueriesContext(connection) as first:
        form = IssueFilterForm(None)
        html = str(form["agency"]) + str(form["field"])
    assert world.dept.name in html and world.field.name in html
    with CaptureQueriesContext(connection) as second:
        again = IssueFilterForm(None)
        assert str(again["agency"]) + str(again["field"]) == html
    assert len(second) == 0 < len(first)
    # A new agency (any committed write) is offered on the next form.
    AgencyFactory(code="so-yt", name="Sở Y tế")
    assert "Sở Y tế" in str(IssueFilterForm(None)["agency"])
    # Choosing it still validates against the database.
    chosen = IssueFilterForm({"agency": world.other.pk})
    assert chosen.filters().agency == world.other.pk


def test_the_quiet_tables_are_real_tables(db: None) -> None:
    """A renamed table would silently start bumping (or a typo never be quiet)."""
    tables = set(connection.introspection.table_names())
    assert not (writes.QUIET_TABLES | writes.QUIET_INSERTS) - tables


@pytest.mark.django_db(transaction=True)
def test_a_cache_that_fails_never_fails_the_write(
    world: Any, settings: Any, caplog: pytest.LogCaptureFixture
) -> None:
    issue = services.issue_create(by=world.coordinator, title="Trước")
    # Redis on a port where nothing listens: every cache call fails.
    settings.CACHES = {
        "default": {"BACKEND": "phoihop.core.cache.RedisCache", "LOCATION": "redis://127.0.0.1:1/0"}
    }
    assert Issue.objects.filter(pk=issue.pk).update(title="Sau") == 1  # autocommit
    with transaction.atomic():
        Issue.objects.filter(pk=issue.pk).update(title="Sau nữa")
    assert Issue.objects.get(pk=issue.pk).title == "Sau nữa"
    assert "generation was not bumped" in caplog.text
