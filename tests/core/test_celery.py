"""Scale-out on Celery: the Tasks API on real worker processes, RabbitMQ and PostgreSQL.

The backend test publishes through the real broker and reads the messages back: nothing is
published for a rolled-back transaction, and `triage` lands in `triage.<partition>` only.

The end-to-end test migrates its own PostgreSQL database, starts two `default` workers and the
one `triage` worker as subprocesses on a fresh RabbitMQ virtual host, imports petitions through
the CLI, and checks that every signal was triaged exactly once. It needs PostgreSQL and
RabbitMQ on 127.0.0.1 (`.ci/run` starts both); outside CI it is skipped when either is missing.
Override the servers with PHOIHOP_TEST_POSTGRES_URL and PHOIHOP_TEST_BROKER_URL (the broker
URL must then name a virtual host of its own; by default the test creates one with rabbitmqctl).
"""

from __future__ import annotations

import csv
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import dj_database_url
import psycopg
import pytest
from django.db import transaction
from django_tasks import task
from kombu import Connection, Queue

from phoihop.cases.tasks import escalate_overdue
from phoihop.celery import app, physical_queue

BIN = Path(sys.executable).parent
PARTITION = "20"


@task(queue_name="triage")
def triage_probe(signal_ids: list[int]) -> int:
    """A task on the logical `triage` queue (only published here, never run)."""
    return len(signal_ids)


def test_triage_goes_to_its_partition_queue_and_default_stays_apart(settings: Any) -> None:
    settings.PHOIHOP_TRIAGE_PARTITION = PARTITION
    assert physical_queue("triage") == "triage.20"
    assert physical_queue("default") == "default"
    router = app.amqp.router
    triage = router.route({"queue": physical_queue("triage")}, "phoihop.run_task")
    default = router.route({"queue": "default"}, "phoihop.run_task")
    # Each queue is bound by its own name: a triage message never also lands in `default`.
    assert (triage["queue"].name, triage["queue"].routing_key) == ("triage.20", "triage.20")
    assert (default["queue"].name, default["queue"].routing_key) == ("default", "default")
    assert triage["queue"].queue_arguments == {"x-single-active-consumer": True}
    assert app.conf.task_acks_late is True and app.conf.worker_prefetch_multiplier == 1


def _answers(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=2):
            return True
    except OSError:
        return False


def _postgres_server() -> str:
    url = os.environ.get("PHOIHOP_TEST_POSTGRES_URL") or os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        url = "postgres://postgres:postgres@127.0.0.1:5432/postgres"
    return url


def _require(ok: bool, what: str) -> None:
    if ok:
        return
    if os.environ.get("CI"):
        pytest.fail(f"{what} is not answering; .ci/run must start it.")
    pytest.skip(f"{what} is not answering (run .ci/run, which starts it).")


@pytest.fixture
def pg_database() -> Iterator[str]:
    """A PostgreSQL database of this test's own, migrated by the CLI, dropped afterwards."""
    server = dj_database_url.parse(_postgres_server())
    host, port = server["HOST"] or "127.0.0.1", int(server["PORT"] or 5432)
    _require(_answers(host, port), f"PostgreSQL on {host}:{port}")
    name = f"phoihop_celery_{uuid.uuid4().hex[:10]}"
    admin = dict(host=host, port=port, user=server["USER"], password=server["PASSWORD"] or None)
    with psycopg.connect(dbname="postgres", autocommit=True, **admin) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    user = server["USER"] or "postgres"
    password = f":{server['PASSWORD']}" if server["PASSWORD"] else ""
    try:
        yield f"postgres://{user}{password}@{host}:{port}/{name}"
    finally:
        with psycopg.connect(dbname="postgres", autocommit=True, **admin) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def broker() -> Iterator[str]:
    """A RabbitMQ virtual host of this test's own, so no other worker takes its messages."""
    given = os.environ.get("PHOIHOP_TEST_BROKER_URL")
    if given:
        yield given
        return
    _require(_answers("127.0.0.1", 5672), "RabbitMQ on 127.0.0.1:5672")
    ctl = shutil.which("rabbitmqctl")
    _require(ctl is not None, "rabbitmqctl")
    assert ctl is not None
    vhost = f"phoihop_test_{uuid.uuid4().hex[:10]}"
    subprocess.run([ctl, "add_vhost", vhost], check=True, capture_output=True)
    try:
        subprocess.run(
            [ctl, "set_permissions", "-p", vhost, "guest", ".*", ".*", ".*"],
            check=True,
            capture_output=True,
        )
        yield f"amqp://guest:guest@127.0.0.1:5672/{vhost}"
    finally:
        subprocess.run([ctl, "delete_vhost", vhost], check=False, capture_output=True)


@pytest.fixture
def celery_backend(broker: str, settings: Any) -> Iterator[str]:
    """This process enqueues through the Celery backend, on the test's virtual host."""
    settings.TASKS = {
        "default": {
            "BACKEND": "phoihop.core.celery_backend.CeleryBackend",
            "QUEUES": ["default", "triage"],
        }
    }
    settings.PHOIHOP_TRIAGE_PARTITION = PARTITION
    before = app.conf.broker_url
    app.close()  # no broker connection pooled from before
    app.conf.broker_url = broker
    try:
        yield broker
    finally:
        app.close()
        app.conf.broker_url = before


def _waiting(broker: str, expect: dict[str, int] | None = None) -> dict[str, int]:
    """Messages waiting per queue (given `expect`, polled a few seconds until they match)."""
    deadline = time.monotonic() + 10
    with Connection(broker) as conn:
        while True:
            counts = {}
            for queue in app.conf.task_queues:
                bound = queue(conn.channel())
                bound.declare()
                counts[queue.name] = bound.queue_declare(passive=True).message_count
            if expect is None or counts == expect or time.monotonic() > deadline:
                return counts
            time.sleep(0.2)


@pytest.mark.django_db(transaction=True)
def test_the_backend_publishes_on_commit_to_the_broker_queue_of_the_logical_queue(
    celery_backend: str,
) -> None:
    assert _waiting(celery_backend) == {"default": 0, "triage.20": 0}
    with pytest.raises(RuntimeError), transaction.atomic():
        escalate_overdue.enqueue()
        triage_probe.enqueue([1])
        raise RuntimeError("rolled back")
    assert _waiting(celery_backend) == {"default": 0, "triage.20": 0}  # nothing published

    with transaction.atomic():
        result = triage_probe.enqueue([1, 2])
        assert _waiting(celery_backend)["triage.20"] == 0  # not before the commit
    escalate_overdue.enqueue()
    expect = {"default": 1, "triage.20": 1}
    assert _waiting(celery_backend, expect) == expect
    with Connection(celery_backend) as conn:
        message = Queue(f"triage.{PARTITION}", no_declare=True)(conn.channel()).get(no_ack=True)
        assert message is not None
        args, kwargs, _embed = message.decode()
    assert message.headers["task"] == "phoihop.run_task" and message.headers["id"] == result.id
    assert args == [triage_probe.module_path, [[1, 2]], {}]
    assert kwargs == {"queue_name": "triage", "backend": "default"}


def _petitions(path: Path, start: int, texts: list[str]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["STT", "Nội dung kiến nghị", "Tổ đại biểu", "Ngày tiếp xúc"])
        for n, text in enumerate(texts, start=start):
            writer.writerow([n, text, "Tổ đại biểu số 3", f"{n % 28 + 1:02d}/10/2026"])
    return path


MATTERS = [
    "Cử tri đề nghị sửa chữa tuyến đường liên thôn {n} bị xuống cấp nghiêm trọng",
    "Cử tri phản ánh khu dân cư số {n} bị ngập úng do cống thoát nước bị tắc",
    "Cu tri de nghi sua chua tuyen duong lien thon {n} bi xuong cap nghiem trong",
    "Cử tri kiến nghị chi trả tiền bồi thường giải phóng mặt bằng dự án {n} còn chậm",
]


def test_a_worker_without_the_celery_backend_refuses_to_start(broker: str, tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "PHOIHOP_TASKS_BACKEND"}
    env.update(PHOIHOP_BROKER_URL=broker, PHOIHOP_VAR_DIR=str(tmp_path))
    done = subprocess.run(
        [str(BIN / "celery"), "-A", "phoihop.celery", "worker", "-Q", "default"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode != 0
    assert "cần PHOIHOP_TASKS_BACKEND=phoihop.core.celery_backend.CeleryBackend" in done.stderr


class Workers:
    """Celery worker processes started by the test and always stopped by it."""

    def __init__(self, env: dict[str, str], logs: Path) -> None:
        self.env, self.logs = env, logs
        self.procs: dict[str, subprocess.Popen[bytes]] = {}

    def start(self, name: str, queue: str) -> None:
        log = self.logs / f"{name}.log"
        self.procs[name] = subprocess.Popen(
            [
                str(BIN / "celery"),
                "-A",
                "phoihop.celery",
                "worker",
                "-Q",
                queue,
                "--concurrency",
                "1",
                "--hostname",
                f"{name}@%h",
                "--loglevel",
                "INFO",
                "--logfile",
                str(log),
                "--without-gossip",
                "--without-mingle",
            ],
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def log(self, name: str) -> str:
        path = self.logs / f"{name}.log"
        return path.read_text(encoding="utf-8") if path.exists() else ""

    def wait_ready(self, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        for name, proc in self.procs.items():
            while " ready." not in self.log(name):
                assert proc.poll() is None, f"worker {name} exited:\n{self.log(name)}"
                assert time.monotonic() < deadline, f"worker {name} not ready:\n{self.log(name)}"
                time.sleep(0.5)

    def stop(self) -> None:
        for proc in self.procs.values():
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)  # warm shutdown: running tasks finish
        for proc in self.procs.values():
            try:
                proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()


def _cli(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        [str(BIN / "phoihop"), *args], env=env, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, f"phoihop {' '.join(args)}:\n{done.stdout}\n{done.stderr}"
    return done


def _succeeded(log: str, task: str) -> int:
    return len(re.findall(rf"path=phoihop\.[\w.]+\.{task} state=SUCCESSFUL", log))


def test_an_import_is_triaged_through_celery_once_per_signal_with_two_default_workers(
    pg_database: str, broker: str, tmp_path: Path
) -> None:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "phoihop.settings",
        "DATABASE_URL": pg_database,
        "PHOIHOP_VAR_DIR": str(tmp_path / "var"),
        "PHOIHOP_TASKS_BACKEND": "phoihop.core.celery_backend.CeleryBackend",
        "PHOIHOP_BROKER_URL": broker,
        "PHOIHOP_TRIAGE_PARTITION": PARTITION,
    }
    _cli(env, "migrate", "--noinput", "-v0")
    workers = Workers(env, tmp_path)
    try:
        workers.start("default1", "default")
        workers.start("default2", "default")
        workers.start("triage", f"triage.{PARTITION}")
        workers.wait_ready()
        # Three imports (three triage tasks), and a task for the default queue meanwhile.
        for round_no in range(3):
            texts = [m.format(n=round_no * 10 + i) for i, m in enumerate(MATTERS)]
            path = _petitions(tmp_path / f"dot{round_no}.csv", round_no * 10, texts)
            out = _cli(env, "import", str(path), "--channel", "petitions").stdout
            assert f"Mới: {len(MATTERS)}" in out
            if round_no == 0:
                _cli(env, "escalate-overdue")  # a task for the default queue
        expected = 3 * len(MATTERS)
        with psycopg.connect(pg_database, autocommit=True) as conn:
            deadline = time.monotonic() + 180
            while True:
                row = conn.execute("SELECT count(*) FROM intake_triageproposal").fetchone()
                assert row is not None
                if row[0] >= expected or time.monotonic() > deadline:
                    break
                time.sleep(0.5)
        # Let any duplicate delivery show itself, then shut the workers down warmly.
        while _succeeded(workers.log("triage"), "triage_signals") < 3:
            assert time.monotonic() < deadline, workers.log("triage")
            time.sleep(0.5)
        time.sleep(2)
    finally:
        workers.stop()

    with psycopg.connect(pg_database, autocommit=True) as conn:
        signals = conn.execute("SELECT count(*) FROM intake_signal").fetchone()
        proposals = conn.execute(
            "SELECT count(*), count(DISTINCT signal_id) FROM intake_triageproposal"
        ).fetchone()
        events = conn.execute(
            "SELECT scope, count(*) FROM core_auditevent WHERE action = 'signal.triage' "
            "GROUP BY scope"
        ).fetchall()
        untriaged = conn.execute(
            "SELECT count(*) FROM intake_signal s WHERE NOT EXISTS "
            "(SELECT 1 FROM intake_triageproposal p WHERE p.signal_id = s.id)"
        ).fetchone()
    assert signals == (expected,)
    assert proposals == (expected, expected) and untriaged == (0,)
    assert len(events) == expected and {count for _scope, count in events} == {1}
    # The triage worker ran every triage task; the default workers ran the default tasks only.
    triage_log, default_logs = (
        workers.log("triage"),
        workers.log("default1") + workers.log("default2"),
    )
    assert _succeeded(triage_log, "triage_signals") == 3
    assert _succeeded(default_logs, "triage_signals") == 0
    assert _succeeded(default_logs, "escalate_overdue") == 1
    assert "escalate_overdue" not in triage_log
    # Three processes wrote audit events at once; the hash chain is whole.
    assert "toàn vẹn" in _cli(env, "verify-audit").stdout
