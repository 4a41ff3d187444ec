"""The Celery application that runs Django tasks (the Tasks API) on a broker, for scale-out.

Used only when `PHOIHOP_TASKS_BACKEND=phoihop.core.celery_backend.CeleryBackend`; the embedded
mode (`make run`) keeps the database backend and needs no broker. Workers (README, "Production
layout"):

    celery -A phoihop.celery worker -Q default --concurrency N           # any number of these
    celery -A phoihop.celery worker -Q triage.<partition> --concurrency 1  # exactly one each

The `triage` queue is partitioned: a task enqueued on the logical queue `triage` is published to
the physical queue `triage.<PHOIHOP_TRIAGE_PARTITION>`. Triage keeps one engine per partition in
its worker, so that queue has a single consumer: one worker with one process, prefetch 1, acks
late, and on RabbitMQ the queue is declared single-active-consumer, so a second worker started
by mistake only stands by.
"""

from __future__ import annotations

import os
from typing import Any

from celery import Celery
from celery.schedules import crontab
from celery.signals import worker_init
from django.conf import settings
from kombu import Exchange, Queue

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "phoihop.settings")

# Logical queues (the Tasks API's `queue_name`) whose physical queue carries the partition key.
PARTITIONED_QUEUES = frozenset({"triage"})


def physical_queue(queue_name: str) -> str:
    """The broker queue for a task's logical queue: `triage` → `triage.<partition>`."""
    if queue_name in PARTITIONED_QUEUES:
        return f"{queue_name}.{settings.PHOIHOP_TRIAGE_PARTITION}"
    return queue_name


app = Celery("phoihop")
app.conf.update(
    broker_url=settings.PHOIHOP_BROKER_URL,
    broker_connection_retry_on_startup=True,
    task_acks_late=True,  # a message leaves the queue only once its task has run
    worker_prefetch_multiplier=1,  # and a worker process holds one message at a time
    task_ignore_result=True,  # tasks write their outcome themselves (audit, import batches)
    task_serializer="json",
    result_serializer="json",
    accept_content=["json"],
    timezone=settings.TIME_ZONE,
)
# One direct exchange; each queue is bound by its own name only, so a message published for
# one queue never lands in another (Celery would otherwise bind every queue with the key
# "default").
EXCHANGE = Exchange("phoihop", type="direct")
app.conf.update(
    task_default_queue="default",
    task_default_exchange=EXCHANGE.name,
    task_default_exchange_type=EXCHANGE.type,
    task_default_routing_key="default",
)
app.conf.task_queues = [
    Queue("default", EXCHANGE, routing_key="default"),
    *(
        Queue(
            physical_queue(name),
            EXCHANGE,
            routing_key=physical_queue(name),
            queue_arguments={"x-single-active-consumer": True},
        )
        for name in sorted(PARTITIONED_QUEUES)
    ),
]
# The one Celery task: it runs any Django task by its module path.
app.conf.imports = ("phoihop.core.celery_backend",)

CELERY_BACKEND = "phoihop.core.celery_backend.CeleryBackend"


def _daily(module_path: str, *, hour: int, minute: int) -> dict[str, Any]:
    """A beat entry that runs the Django task at `module_path` through `phoihop.run_task`
    (core/celery_backend.py), at hour:minute Asia/Ho_Chi_Minh (the app's timezone)."""
    return {
        "task": "phoihop.run_task",
        "schedule": crontab(hour=hour, minute=minute),
        "args": [module_path, [], {}],
        "kwargs": {"queue_name": "default", "backend": "default"},
        "options": {"queue": "default"},
    }


# Periodic work, for `celery -A phoihop.celery beat` (exactly one beat process); the embedded
# mode runs the same commands from cron (README, "Command line").
app.conf.beat_schedule = {
    "announce-deadlines": _daily(
        "phoihop.notifications.tasks.announce_deadlines", hour=6, minute=30
    ),
    "send-digests": _daily("phoihop.notifications.tasks.send_digests", hour=7, minute=0),
    "deliver-notifications": {
        **_daily("phoihop.notifications.tasks.deliver", hour=0, minute=0),
        "schedule": crontab(minute="*/5"),  # the safety net for claims a dead worker left
    },
}


@worker_init.connect
def _refuse_a_worker_without_the_celery_backend(**_: Any) -> None:
    """A worker enqueues follow-up tasks (an import queues its triage): with the database
    backend they would wait in a table no Celery worker reads. Refuse to start instead."""
    backend = settings.TASKS["default"]["BACKEND"]
    if backend != CELERY_BACKEND:
        raise SystemExit(
            f"Celery worker cần PHOIHOP_TASKS_BACKEND={CELERY_BACKEND} (đang là {backend})."
        )
