"""The four deadline regimes with their rules and legal basis; every existing issue is
given the feedback regime (what its deadlines were counted by until now)."""

from typing import Any

from django.db import migrations

KN = "Luật Khiếu nại 2011"
TC = "Luật Tố cáo 2018"

REGIMES: list[dict[str, Any]] = [
    {
        "code": "phan-anh",
        "name": "Phản ánh, kiến nghị",
        "kind": "feedback",
        "legal_basis": (
            "Quy chế phối hợp của tỉnh: thời hạn tính theo ngày làm việc, theo loại việc và độ khẩn"
        ),
        "rules": [
            ("extension", 10, "working", 1, "Quy chế phối hợp của tỉnh: gia hạn một lần"),
        ],
    },
    {
        "code": "khieu-nai",
        "name": "Khiếu nại (Luật Khiếu nại 2011)",
        "kind": "complaint",
        "legal_basis": KN,
        "rules": [
            ("acceptance", 10, "calendar", 1, f"Điều 27, Điều 36 {KN}"),
            ("resolution", 30, "calendar", 1, f"Điều 28 {KN}"),
            ("resolution_complex", 45, "calendar", 1, f"Điều 28 {KN}"),
            ("resolution_remote", 45, "calendar", 1, f"Điều 28 {KN}"),
            ("resolution_remote_complex", 60, "calendar", 1, f"Điều 28 {KN}"),
            ("second", 45, "calendar", 1, f"Điều 37 {KN}"),
            ("second_complex", 60, "calendar", 1, f"Điều 37 {KN}"),
            ("second_remote", 60, "calendar", 1, f"Điều 37 {KN}"),
            ("second_remote_complex", 70, "calendar", 1, f"Điều 37 {KN}"),
        ],
    },
    {
        "code": "to-cao",
        "name": "Tố cáo (Luật Tố cáo 2018)",
        "kind": "denunciation",
        "legal_basis": TC,
        "rules": [
            ("resolution", 30, "calendar", 1, f"khoản 1 Điều 30 {TC}"),
            ("extension_complex", 30, "calendar", 1, f"khoản 2 Điều 30 {TC}"),
            ("extension_very_complex", 30, "calendar", 2, f"khoản 3 Điều 30 {TC}"),
        ],
    },
    {
        "code": "kien-nghi-cu-tri",
        "name": "Kiến nghị cử tri",
        "kind": "voter_petition",
        "legal_basis": (
            "Trả lời trước kỳ họp HĐND tỉnh tiếp theo (Luật Hoạt động giám sát của Quốc hội "
            "và Hội đồng nhân dân 2015; quy chế của Thường trực HĐND tỉnh)"
        ),
        "rules": [],
    },
]


def seed(apps: Any, schema_editor: Any) -> None:
    Regime = apps.get_model("cases", "DeadlineRegime")
    Rule = apps.get_model("cases", "RegimeRule")
    Issue = apps.get_model("cases", "Issue")
    for data in REGIMES:
        regime, _created = Regime.objects.get_or_create(
            code=data["code"],
            defaults={k: data[k] for k in ("name", "kind", "legal_basis")},
        )
        for step, days, unit, times, basis in data["rules"]:
            Rule.objects.get_or_create(
                regime=regime,
                step=step,
                defaults={"days": days, "unit": unit, "max_times": times, "legal_basis": basis},
            )
    feedback = Regime.objects.get(code="phan-anh")
    Issue.objects.filter(regime__isnull=True).update(regime=feedback)


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0007_regimes"),
    ]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
