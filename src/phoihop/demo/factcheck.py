"""Demo data of the false-claim registry: a claim being verified (its rebuttal drafted and
waiting for the competent department's sign-off) and a claim already rebutted (confirmed
by the court, published and sent to the reporter network). Idempotent."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from phoihop.core import province
from phoihop.core.models import Agency, User
from phoihop.demo.quiet import hooks_held
from phoihop.factcheck import hooks, services
from phoihop.factcheck.models import Claim
from phoihop.intake.models import Signal
from phoihop.triage.normalize import content_hash, normalize_text

SOURCE = "demo:mang-xa-hoi"

VERIFYING = "Tỉnh thu hồi đất làm cao tốc Đồng Đăng – Trà Lĩnh mà không bồi thường"
REBUTTED = "Tòa án tỉnh xử oan một nông dân trong vụ tranh chấp đất"


def _signal(text: str, days_ago: int) -> Signal:
    normalized = normalize_text(text)
    signal, _created = Signal.objects.get_or_create(
        source=SOURCE,
        content_hash=content_hash(normalized),
        defaults={
            "channel": Signal.Channel.SOCIAL,
            "raw_text": text,
            "text": normalized,
            "title": normalized[:120],
            "occurred_at": timezone.now() - dt.timedelta(days=days_ago),
        },
    )
    return signal


@transaction.atomic
def load() -> dict[str, int]:
    users = {u.username: u for u in User.objects.all()}
    agencies = {a.code: a for a in Agency.objects.all()}
    coordinator = users["dieuphoi"]
    today = timezone.localdate()
    created = 0

    if not Claim.objects.filter(summary=VERIFYING).exists():
        claim = services.claim_register(
            by=coordinator,
            wording=f"Bài đăng trên mạng xã hội cho rằng {province.current().in_text} thu hồi đất "
            "của người dân để làm cao tốc Đồng Đăng – Trà Lĩnh mà không bồi thường, hỗ trợ.",
            summary=VERIFYING,
            first_seen_on=today - dt.timedelta(days=4),
            first_seen_where="Nhóm Facebook của người dân xã Đồng Đăng",
            risk=Claim.Risk.HIGH,
            competent_agency=agencies["so-nnmt"],
            signals=[
                _signal("Làm cao tốc Đồng Đăng mà không đền bù cho dân, đất mất trắng!", 4),
                _signal("Nghe nói cao tốc Đồng Đăng – Trà Lĩnh thu hồi đất không bồi thường", 2),
                _signal("Dân Đồng Đăng mất đất làm cao tốc không được đồng nào", 1),
            ],
        )
        services.claim_start_verification(claim=claim, by=coordinator)
        services.rebuttal_draft(
            claim=claim,
            by=coordinator,
            title="Thông tin thu hồi đất làm cao tốc Đồng Đăng – Trà Lĩnh không bồi thường là "
            "sai sự thật",
            text="Phương án bồi thường, hỗ trợ của dự án đã được niêm yết công khai tại UBND "
            "các xã; đến nay đã chi trả cho phần lớn các hộ dân. Một số hộ chưa nhận đủ do hồ "
            "sơ đất đai đang được hoàn thiện.",
        )
        created += 1

    if not Claim.objects.filter(summary=REBUTTED).exists():
        claim = services.claim_register(
            by=coordinator,
            wording="Tin lan truyền nói Tòa án nhân dân tỉnh xử oan một nông dân trong vụ tranh "
            'chấp đất, bản án bị "mua".',
            summary=REBUTTED,
            first_seen_on=today - dt.timedelta(days=20),
            first_seen_where="Trang cá nhân trên mạng xã hội",
            risk=Claim.Risk.CRITICAL,
            competent_agency=agencies["tand"],
            signals=[
                _signal("Tòa án tỉnh xử oan nông dân vì tranh chấp đất, bản án bị mua", 20),
                _signal(f"Lại một vụ tòa xử oan người nông dân ở {province.current().name}", 18),
            ],
        )
        services.claim_start_verification(claim=claim, by=coordinator)
        with hooks_held(hooks.rebuttal_awaiting_confirmation):  # confirmed long ago
            rebuttal = services.rebuttal_draft(
                claim=claim,
                by=coordinator,
                title="Không có chuyện Tòa án nhân dân tỉnh xử oan nông dân",
                text="Vụ án tranh chấp quyền sử dụng đất được xét xử công khai, đúng trình tự, "
                "có sự tham gia của Viện kiểm sát; các đương sự đã được bảo đảm quyền kháng "
                'cáo. Thông tin bản án bị "mua" là bịa đặt.',
            )
        services.rebuttal_confirm(
            rebuttal=rebuttal,
            by=users["lanhdao.toaan"],
            note="Nội dung phù hợp hồ sơ vụ án và bản án đã tuyên.",
        )
        services.rebuttal_publish(rebuttal=rebuttal, by=coordinator)
        created += 1
    return {"claims": created}
