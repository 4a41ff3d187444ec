from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "phoihop.intake"
    label = "intake"
    verbose_name = "Tiếp nhận ý kiến, kiến nghị"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from phoihop.cases import deadlines
        from phoihop.core import audit_labels
        from phoihop.intake import permissions, selectors

        permissions.register()
        audit_labels.register(
            {
                "signal.record": _("Ghi nhận ý kiến, kiến nghị"),
                "signal.feedback": _("Tiếp nhận phản ánh qua cổng thông tin"),
                "signal.collaborator": _("Tiếp nhận báo cáo của cộng tác viên dư luận xã hội"),
                "signal.contact.view": _("Xem thông tin liên hệ của người phản ánh"),
                "intake.api": _("Tiếp nhận ý kiến qua API"),
                "intake.import": _("Nhập dữ liệu"),
                "intake.import.upload": _("Tải tệp nhập dữ liệu lên"),
                "intake.import.mapping": _("Ghép cột tệp nhập dữ liệu"),
                "intake.import.retry": _("Chạy lại lần nhập dữ liệu bị lỗi"),
                "intake.import.recover": _("Đánh dấu lần nhập bị gián đoạn là «Lỗi hệ thống»"),
                "intake.feed.create": _("Thêm nguồn tin báo chí"),
                "intake.feed.toggle": _("Bật, tắt nguồn tin báo chí"),
                "intake.session.create": _("Tạo kỳ họp HĐND"),
                "intake.round.create": _("Tạo đợt tiếp xúc cử tri"),
                "intake.round.session": _("Gắn đợt tiếp xúc cử tri với kỳ họp HĐND"),
            }
        )
        # Voters' petitions are due before the next council session, which intake knows.
        if selectors.next_council_session not in deadlines.next_council_session:
            deadlines.next_council_session.append(selectors.next_council_session)
