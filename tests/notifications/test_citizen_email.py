"""Citizens hear back by e-mail through Django's SMTP backend, read from a real SMTP server."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from tests.factories import UserFactory
from tests.notifications.conftest import Mailbox, answered_issue, attach

from phoihop.cases import services as cases
from phoihop.core.models import AuditEvent
from phoihop.intake import services as intake
from phoihop.notifications import services
from phoihop.notifications.models import Delivery
from phoihop.notifications.services import outbox

pytestmark = pytest.mark.django_db


def _submit(
    capture: Any, contact: str, content: str = "Đường liên xã qua thôn Nà Lầu bị sạt lở."
) -> Any:
    with capture(execute=True):
        return intake.feedback_submit(content=content, name="Nguyễn Văn An", contact=contact).signal


def test_feedback_by_email_gets_acknowledgement_with_tracking_code_and_lookup_link(
    smtp: Mailbox, django_capture_on_commit_callbacks: Any
) -> None:
    signal = _submit(django_capture_on_commit_callbacks, "an.nguyen@example.vn")

    drained = services.deliver_due()

    assert drained.sent == 1
    [mail] = smtp.messages
    assert mail["To"] == "an.nguyen@example.vn"
    assert (
        mail["Subject"].strip()
        == f"Đã tiếp nhận phản ánh của bạn — mã tra cứu {signal.tracking_code}"
    )
    plain = mail.get_body(("plain",)).get_content()
    html = mail.get_body(("html",)).get_content()
    link = f"https://phoihop.langson.gov.vn/tra-cuu/?ma={signal.tracking_code}"
    assert signal.tracking_code in plain and link in plain
    assert f'href="{link}"' in html and "Mã tra cứu" in html
    delivery = Delivery.objects.get()
    assert delivery.status == Delivery.Status.SENT and delivery.sent_at is not None
    assert delivery.about == signal.tracking_code and delivery.attempts == 1


def test_published_answer_reaches_the_citizen_with_the_resolved_question(
    world: Any, smtp: Mailbox, django_capture_on_commit_callbacks: Any
) -> None:
    signal = _submit(django_capture_on_commit_callbacks, "an.nguyen@example.vn")
    services.deliver_due()
    issue = answered_issue(world, publish=False)
    attach(signal, issue)
    assert services.deliver_due().sent == 0  # answered but not yet public: nothing sent

    with django_capture_on_commit_callbacks(execute=True):
        cases.issue_publish(issue=issue, by=world.coordinator)
    services.deliver_due()

    answer = smtp.messages[-1]
    assert answer["Subject"].strip() == f"Trả lời phản ánh mã {signal.tracking_code}"
    plain = answer.get_body(("plain",)).get_content()
    assert "Sở đã cho sửa đoạn đường sạt lở." in plain
    assert "Vấn đề đã được giải quyết chưa?" in plain
    links = re.findall(
        r"https://phoihop\.langson\.gov\.vn/phan-hoi/[^/\s]+/\?tra-loi=(co|chua)", plain
    )
    assert links == ["co", "chua"]
    assert "Chưa giải quyết" in answer.get_body(("html",)).get_content()


def test_an_event_announced_twice_is_sent_once(
    world: Any, smtp: Mailbox, django_capture_on_commit_callbacks: Any
) -> None:
    signal = _submit(django_capture_on_commit_callbacks, "an@example.vn")
    services.acknowledge_signals([signal.pk])  # the hook runs again (a re-delivered task)
    services.deliver_due()
    services.deliver_due()
    assert len(smtp.messages) == 1
    assert Delivery.objects.count() == 1


def test_smtp_refusing_is_retried_then_marked_failed(
    smtp: Mailbox, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.PHOIHOP_NOTIFY_MAX_ATTEMPTS = 2
    _submit(django_capture_on_commit_callbacks, "an@example.vn")
    smtp.refuse = True

    first = services.deliver_due()
    delivery = Delivery.objects.get()
    assert first.retrying == 1 and delivery.status == Delivery.Status.QUEUED
    assert delivery.due_at > timezone.now()  # backed off
    assert "451" in delivery.last_error

    assert services.deliver_due().claimed == 0  # not due yet
    services.deliver_due(now=timezone.now() + dt.timedelta(hours=1))
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.FAILED and delivery.attempts == 2

    smtp.refuse = False
    clerk = UserFactory()
    with pytest.raises(PermissionDenied):
        services.delivery_retry(delivery=delivery, by=clerk)
    admin = UserFactory(is_superuser=True)
    services.delivery_retry(delivery=delivery, by=admin)  # the admin action, audited
    assert AuditEvent.objects.filter(action="notification.retry", actor=admin).count() == 1
    services.deliver_due()
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.SENT and len(smtp.messages) == 1


def test_one_recipient_gets_at_most_the_rate_limit_then_waits(smtp: Mailbox, settings: Any) -> None:
    settings.PHOIHOP_NOTIFY_RATE_COUNT = 2
    settings.PHOIHOP_NOTIFY_RATE_SECONDS = 3600
    with_one = [
        services.Outgoing(
            channel="email",
            recipient="dan@example.vn",
            purpose="bench",
            subject=f"Thư {i}",
            text="Nội dung",
            key=f"t:{i}",
        )
        for i in range(3)
    ] + [
        services.Outgoing(
            channel="email",
            recipient="khac@example.vn",
            purpose="bench",
            subject="Thư khác",
            text="Nội dung",
            key="t:other",
        )
    ]
    services.queue(with_one)

    drained = services.deliver_due()

    assert drained.sent == 3
    assert sorted(m["To"] for m in smtp.messages) == [
        "dan@example.vn",
        "dan@example.vn",
        "khac@example.vn",
    ]
    waiting = Delivery.objects.get(status=Delivery.Status.QUEUED)
    assert waiting.recipient == "dan@example.vn"
    assert waiting.due_at >= timezone.now() + dt.timedelta(minutes=29)


def test_nothing_is_sent_when_email_is_not_configured(
    settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.EMAIL_HOST = ""
    _submit(django_capture_on_commit_callbacks, "an@example.vn")
    delivery = Delivery.objects.get()
    assert delivery.status == Delivery.Status.SKIPPED
    assert services.deliver_due().claimed == 0


def test_a_claim_left_by_a_dead_worker_is_taken_over_after_the_lease(
    smtp: Mailbox, settings: Any
) -> None:
    services.queue(
        [
            services.Outgoing(
                channel="email",
                recipient="a@example.vn",
                purpose="bench",
                subject="Thư",
                text="x",
                key="lease:1",
            )
        ]
    )
    now = timezone.now()
    claimed = outbox._claim(limit=10, now=now)  # a worker claimed it, then died
    assert [d.status for d in claimed] == [Delivery.Status.SENDING]
    assert services.deliver_due(now=now + dt.timedelta(seconds=10)).claimed == 0
    later = now + dt.timedelta(seconds=settings.PHOIHOP_NOTIFY_LEASE_SECONDS + 1)
    assert services.deliver_due(now=later).sent == 1
    assert len(smtp.messages) == 1


def test_failures_show_on_the_admin_page_for_administrators_only(
    world: Any, smtp: Mailbox, settings: Any, client: Any
) -> None:
    settings.PHOIHOP_NOTIFY_MAX_ATTEMPTS = 1
    smtp.refuse = True
    services.queue(
        [
            services.Outgoing(
                channel="email",
                recipient="loi@example.vn",
                purpose="answer",
                subject="Thư",
                text="x",
                key="admin:1",
                about="PA-LOI1-LOI2",
            )
        ]
    )
    services.deliver_due()
    world.administrator.is_staff = True
    world.administrator.save()
    client.force_login(world.administrator)
    page = client.get("/quan-tri/notifications/delivery/?status__exact=failed").content.decode()
    assert "loi@example.vn" in page and "PA-LOI1-LOI2" in page and "451" in page

    world.coordinator.is_staff = True
    world.coordinator.save()
    client.force_login(world.coordinator)
    assert client.get("/quan-tri/notifications/delivery/").status_code == 403

    client.force_login(world.administrator)
    delivery = Delivery.objects.get()
    smtp.refuse = False
    client.post(
        "/quan-tri/notifications/delivery/",
        {"action": "send_again", "_selected_action": [delivery.pk]},
    )
    services.deliver_due()
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.SENT
