"""A Django Tasks backend on Celery: `TASKS = {"default": {"BACKEND": "…CeleryBackend"}}`.

Thin by design. `enqueue` publishes one generic Celery task, `phoihop.run_task`, carrying the
Django task's module path and its JSON arguments; a Celery worker (`celery -A phoihop.celery
worker`) imports the task and calls it. The message is published when the enqueuing
transaction commits (at once outside a transaction), so a worker never sees a task whose rows
were rolled back, as with the database backend. The logical `queue_name` is honoured: each maps
to its broker queue (`phoihop.celery.physical_queue`: `triage` → `triage.<partition>`).

Results are not stored: nothing in phoihop reads a task's result back (`supports_get_result`
is False); outcomes are written by the tasks themselves (audit events, import batches), and
failures are logged by the worker with their traceback.

Why not a package (December 2026): django-tasks-celery needs Python 3.12 and Django 6;
django-tasks-fennel fits Django 5.2 but is a single 0.1 release, and it registers a Celery task
per Django task at import and publishes to the broker queue named as the logical one (the
triage partition would have to hide behind a kombu queue alias).
"""

from __future__ import annotations

from functools import partial
from typing import Any, ParamSpec, TypeVar

from celery import Task as CeleryTask
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks import TaskContext, TaskResult, TaskResultStatus
from django_tasks.backends.base import BaseTaskBackend
from django_tasks.base import Task, TaskError
from django_tasks.exceptions import InvalidTaskError
from django_tasks.signals import task_enqueued, task_finished, task_started
from django_tasks.utils import (
    get_exception_traceback,
    get_module_path,
    get_random_id,
    normalize_json,
)

from phoihop.celery import app, physical_queue

T = TypeVar("T")
P = ParamSpec("P")

RUN_TASK = "phoihop.run_task"


class CeleryBackend(BaseTaskBackend):
    supports_defer = True  # `run_after` becomes Celery's eta
    supports_async_task = True  # Task.call runs a coroutine to completion
    supports_get_result = False
    supports_priority = False

    def enqueue(
        self,
        task: Task[P, T],
        args: P.args,  # type: ignore[valid-type]
        kwargs: P.kwargs,  # type: ignore[valid-type]
    ) -> TaskResult[T]:
        self.validate_task(task)
        result: TaskResult[T] = TaskResult(
            task=task,
            id=get_random_id(),
            status=TaskResultStatus.READY,
            enqueued_at=timezone.now(),
            started_at=None,
            last_attempted_at=None,
            finished_at=None,
            args=args,
            kwargs=kwargs,
            backend=self.alias,
            errors=[],
            worker_ids=[],
        )
        transaction.on_commit(partial(self._publish, result), robust=False)
        return result

    def _publish(self, result: TaskResult[Any]) -> None:
        task = result.task
        app.send_task(
            RUN_TASK,
            args=[task.module_path, result.args, result.kwargs],
            kwargs={"queue_name": task.queue_name, "backend": self.alias},
            task_id=result.id,
            queue=physical_queue(task.queue_name),
            eta=task.run_after,
        )
        task_enqueued.send(type(self), task_result=result)


@app.task(name=RUN_TASK, bind=True)
def run_task(
    celery_task: CeleryTask[Any, Any],
    module_path: str,
    args: list[Any],
    kwargs: dict[str, Any],
    *,
    queue_name: str,
    backend: str,
) -> Any:
    """Run the Django task at `module_path` in this Celery worker; its JSON result is returned."""
    task = import_string(module_path)
    if not isinstance(task, Task):
        raise InvalidTaskError(f"{module_path} không phải là một tác vụ (Task).")
    task = task.using(queue_name=queue_name, backend=backend)
    started = timezone.now()
    result: TaskResult[Any] = TaskResult(
        task=task,
        id=str(celery_task.request.id),
        status=TaskResultStatus.RUNNING,
        enqueued_at=None,
        started_at=started,
        last_attempted_at=started,
        finished_at=None,
        args=args,
        kwargs=kwargs,
        backend=backend,
        errors=[],
        worker_ids=[str(celery_task.request.hostname or "celery")],
    )
    sender = type(task.get_backend())
    task_started.send(sender, task_result=result)
    try:
        if task.takes_context:
            value = task.call(TaskContext(task_result=result), *args, **kwargs)
        else:
            value = task.call(*args, **kwargs)
    except Exception as exc:
        result.errors.append(
            TaskError(
                exception_class_path=get_module_path(type(exc)),
                traceback=get_exception_traceback(exc),
            )
        )
        object.__setattr__(result, "status", TaskResultStatus.FAILED)
        object.__setattr__(result, "finished_at", timezone.now())
        task_finished.send(sender, task_result=result)
        raise
    object.__setattr__(result, "status", TaskResultStatus.SUCCESSFUL)
    object.__setattr__(result, "finished_at", timezone.now())
    task_finished.send(sender, task_result=result)
    return normalize_json(value)
