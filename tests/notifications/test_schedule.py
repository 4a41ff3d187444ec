"""The periodic work (Celery beat) names tasks that exist, at the documented times."""

from __future__ import annotations

from django.utils.module_loading import import_string
from django_tasks.base import Task

from phoihop.celery import app


def test_beat_runs_existing_tasks_at_the_documented_times() -> None:
    schedule = app.conf.beat_schedule
    for entry in schedule.values():
        assert entry["task"] == "phoihop.run_task"
        assert isinstance(import_string(entry["args"][0]), Task)
    digest = schedule["send-digests"]["schedule"]
    assert digest.hour == {7} and digest.minute == {0}
    assert app.conf.timezone == "Asia/Ho_Chi_Minh"
