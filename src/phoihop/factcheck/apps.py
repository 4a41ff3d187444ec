from django.apps import AppConfig


class FactcheckConfig(AppConfig):
    name = "phoihop.factcheck"
    label = "factcheck"
    verbose_name = "Phản bác thông tin sai sự thật"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from phoihop.core import audit_labels, inbox
        from phoihop.factcheck import permissions, services
        from phoihop.factcheck.inbox import factcheck_work
        from phoihop.triaging import hooks

        permissions.register()
        if services.engine_claims not in hooks.claim_source:
            hooks.claim_source.append(services.engine_claims)
        if services.on_claim_matched not in hooks.claim_matched:
            hooks.claim_matched.append(services.on_claim_matched)
        inbox.register(factcheck_work)
        audit_labels.register(
            {
                "claim.register": _("Ghi nhận thông tin sai sự thật"),
                "claim.link_signal": _("Gắn tín hiệu với thông tin sai sự thật"),
                # services._set_status: «claim.<action>»
                "claim.verify": _("Chuyển trạng thái «Đang xác minh»"),
                "claim.close": _("Kết luận không cần phản bác"),
                "claim.rebut": _("Chuyển trạng thái «Đã phản bác»"),
                "rebuttal.draft": _("Soạn dự thảo bài phản bác"),
                "rebuttal.confirm": _("Xác nhận thông tin trong bài phản bác"),
                "rebuttal.return": _("Không xác nhận, trả lại bài phản bác"),
                "rebuttal.publish": _("Công khai bài phản bác"),
                "rebuttal.answer": _("Trả lời vấn đề bằng bài phản bác đã công khai"),
            }
        )
