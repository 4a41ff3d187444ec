"""The feedback regime's legal basis is shown to citizens: it no longer names the admin table
(«bảng «Thời hạn xử lý»») that staff edit. Only the seeded wording is changed; a basis an
administrator rewrote stays as written."""

from __future__ import annotations

from typing import Any

from django.db import migrations

OLD = (
    "Quy chế phối hợp của tỉnh: thời hạn tính theo ngày làm việc, theo loại việc và "
    "độ khẩn (bảng «Thời hạn xử lý»)"
)
NEW = "Quy chế phối hợp của tỉnh: thời hạn tính theo ngày làm việc, theo loại việc và độ khẩn"


def forward(apps: Any, schema_editor: Any) -> None:
    regime = apps.get_model("cases", "DeadlineRegime")
    regime.objects.filter(code="phan-anh", legal_basis=OLD).update(legal_basis=NEW)


def backward(apps: Any, schema_editor: Any) -> None:
    regime = apps.get_model("cases", "DeadlineRegime")
    regime.objects.filter(code="phan-anh", legal_basis=NEW).update(legal_basis=OLD)


class Migration(migrations.Migration):
    dependencies = [("cases", "0010_issue_state_labels")]

    operations = [migrations.RunPython(forward, backward)]
