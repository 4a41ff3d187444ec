"""Web imports: an uploaded file kept as a batch, run by a background task, with
progress, column mapping, recovery of dead runs and retry."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from phoihop.core import audit, policy
from phoihop.core.models import User
from phoihop.intake.files import (
    max_file_bytes,
)
from phoihop.intake.headers import COLUMNS
from phoihop.intake.models import (
    ImportBatch,
)
from phoihop.intake.services.imports import (
    CHANNELS,
    ImportReport,
    Inspection,
    _batch_update,
    _finish,
    import_file,
    inspect_file,
)
from phoihop.triage.normalize import normalize_text


@transaction.atomic
def import_batch_create(
    *,
    by: User,
    upload: UploadedFile,
    channel: str,
    round_name: str = "",
    only_valid: bool = False,
) -> ImportBatch:
    """Keep an uploaded file for import; the caller queues the task (or asks for a mapping)."""
    policy.require(by, "intake.signal_import")
    if channel not in CHANNELS:
        raise ValidationError({"channel": _("Loại dữ liệu nhập không hợp lệ.")})
    size = upload.size or 0
    if size > max_file_bytes():
        raise ValidationError(
            {"file": _("Tệp quá lớn; giới hạn là %(n)s MB.") % {"n": max_file_bytes() // 2**20}}
        )
    data = upload.read()
    name = PurePath(upload.name or "tep").name[:255]
    batch = ImportBatch(
        channel=channel,
        file_name=name,
        size=len(data),
        round_name=normalize_text(round_name)[:255],
        only_valid=only_valid,
        status=ImportBatch.Status.QUEUED,
        created_by=by,
    )
    digest = hashlib.sha256(data).hexdigest()[:16]
    batch.file.save(f"{digest}.bin", ContentFile(data), save=False)
    batch.save()
    audit.record(
        actor=by,
        action="intake.import.upload",
        target=batch,
        scope=f"import:{batch.pk}",
        channel=channel,
        file=name,
        size=len(data),
    )
    return batch


def import_batch_inspect(*, batch: ImportBatch) -> Inspection:
    with batch.file.open("rb") as handle:
        data = handle.read()
    return inspect_file(
        data=data, filename=batch.file_name, channel=batch.channel, mapping=batch.mapping
    )


@transaction.atomic
def import_batch_set_mapping(
    *, batch: ImportBatch, by: User, mapping: dict[str, str]
) -> ImportBatch:
    """Record the operator's column mapping (folded header → column key, "" to ignore)."""
    policy.require(by, "intake.signal_import")
    allowed = {c.key for c in COLUMNS.get(batch.channel, ())} | {""}
    if any(value not in allowed for value in mapping.values()):
        raise ValidationError({"mapping": _("Cột được chọn không hợp lệ.")})
    keys = [v for v in mapping.values() if v]
    if len(keys) != len(set(keys)):
        raise ValidationError({"mapping": _("Mỗi cột chỉ được ghép với một cột trong tệp.")})
    before = batch.mapping
    batch.mapping = mapping
    batch.status = ImportBatch.Status.QUEUED
    batch.save(update_fields=["mapping", "status"])
    audit.record(
        actor=by,
        action="intake.import.mapping",
        target=batch,
        scope=f"import:{batch.pk}",
        before={"mapping": before},
        after={"mapping": mapping},
    )
    return batch


def import_batch_mark(*, batch: ImportBatch, status: str) -> None:
    _batch_update(batch, status=status)


def import_batch_reject(*, batch: ImportBatch, error: ValidationError) -> None:
    """The file cannot be read at all; the batch keeps the reason, nothing else is written."""
    _batch_update(
        batch,
        status=ImportBatch.Status.REJECTED,
        message=" ".join(error.messages),
        finished_at=timezone.now(),
    )


def import_batch_run(*, batch_id: int) -> ImportReport | None:
    """Run a queued web import (in the background worker); progress goes on the batch."""
    batch = ImportBatch.objects.select_related("created_by").get(pk=batch_id)
    if batch.status not in (ImportBatch.Status.QUEUED, ImportBatch.Status.FAILED):
        return None
    _batch_update(batch, status=ImportBatch.Status.CHECKING, processed_rows=0)

    def progress(phase: str, done: int, total: int) -> None:
        if phase == "check":
            _batch_update(batch, processed_rows=done, total_rows=max(total, done))
        elif done == 0:
            _batch_update(batch, status=ImportBatch.Status.WRITING, total_rows=total)

    try:
        with batch.file.open("rb") as handle:
            data = handle.read()
        report = import_file(
            data=data,
            filename=batch.file_name,
            channel=batch.channel,
            by=batch.created_by,
            round_name=batch.round_name,
            only_valid=batch.only_valid,
            mapping=batch.mapping or None,
            progress=progress,
            batch=batch,
        )
    except ValidationError as error:
        import_batch_reject(batch=batch, error=error)
        return None
    except Exception:
        _batch_update(
            batch,
            status=ImportBatch.Status.FAILED,
            message=_("Lỗi hệ thống khi nhập; dữ liệu chưa thay đổi. Vui lòng thử lại."),
            finished_at=timezone.now(),
        )
        raise
    if not report.stored:
        _finish(batch, report, round=None)
    return report


def _stale_after() -> dt.timedelta:
    return dt.timedelta(seconds=float(settings.PHOIHOP_IMPORT_STALE_SECONDS))


def import_batches_recover(*, batch_ids: list[int] | None = None) -> list[ImportBatch]:
    """Running batches whose task died (no sign of life for PHOIHOP_IMPORT_STALE_SECONDS):
    marked «Lỗi hệ thống» with a message that offers to import again. The write phase is one
    transaction, so a batch still marked running when its worker died stored nothing."""
    cutoff = timezone.now() - _stale_after()
    running = (ImportBatch.Status.QUEUED, ImportBatch.Status.CHECKING, ImportBatch.Status.WRITING)
    stale = ImportBatch.objects.filter(status__in=running).filter(
        Q(heartbeat_at__lt=cutoff) | Q(heartbeat_at__isnull=True, created_at__lt=cutoff)
    )
    if batch_ids is not None:
        stale = stale.filter(pk__in=batch_ids)
    recovered = []
    for batch in stale:
        with transaction.atomic():
            changed = ImportBatch.objects.filter(pk=batch.pk, status=batch.status).update(
                status=ImportBatch.Status.FAILED,
                message=_(
                    "Tiến trình nhập bị dừng giữa chừng (máy chủ xử lý nền đã khởi động lại); "
                    "dữ liệu chưa thay đổi. Bấm «Nhập lại» để chạy lại tệp này."
                ),
                finished_at=timezone.now(),
            )
            if not changed:
                continue
            audit.record(
                actor=None,
                action="intake.import.recover",
                target=batch,
                scope=f"import:{batch.pk}",
                before={"status": batch.status},
                after={"status": ImportBatch.Status.FAILED},
            )
        batch.refresh_from_db()
        recovered.append(batch)
    return recovered


@transaction.atomic
def import_batch_retry(*, batch: ImportBatch, by: User | None) -> ImportBatch:
    """Queue a failed batch again (the caller enqueues the task); `by` None: the recovery
    command run by the operator from cron."""
    if by is not None:
        policy.require(by, "intake.signal_import")
    if batch.status != ImportBatch.Status.FAILED:
        raise ValidationError(_("Chỉ nhập lại được lần nhập bị lỗi hệ thống."))
    _batch_update(batch, status=ImportBatch.Status.QUEUED, message="", finished_at=None)
    audit.record(actor=by, action="intake.import.retry", target=batch, scope=f"import:{batch.pk}")
    return batch
