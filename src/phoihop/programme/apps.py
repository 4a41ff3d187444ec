from django.apps import AppConfig


class ProgrammeConfig(AppConfig):
    name = "phoihop.programme"
    label = "programme"
    verbose_name = "Chương trình phối hợp"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from phoihop.core import audit_labels, inbox
        from phoihop.programme import permissions, subscriptions
        from phoihop.programme.inbox import programme_work

        permissions.register()
        subscriptions.subscribe()
        inbox.register(programme_work)
        audit_labels.register(
            {
                "programme.create": _("Ghi nhận chương trình phối hợp đã ký"),
                "plan.create": _("Lập kế hoạch năm"),
                "task.create": _("Thêm nhiệm vụ vào kế hoạch năm"),
                "task.update": _("Sửa nhiệm vụ"),
                "task.cancel": _("Hủy nhiệm vụ"),
                "task.report": _("Báo cáo tiến độ nhiệm vụ"),
                "task.status": _("Cập nhật trạng thái nhiệm vụ theo báo cáo tiến độ"),
                "task.transfer": _("Chuyển nhiệm vụ sang cơ quan kế nhiệm"),
                "progress.request": _("Yêu cầu các cơ quan báo cáo tiến độ"),
                "meeting.create": _("Tạo hội nghị giao ban"),
                "meeting.update": _("Sửa thông tin hội nghị giao ban"),
                "meeting.cancel": _("Hủy hội nghị giao ban"),
                "meeting.minutes": _("Ghi biên bản hội nghị giao ban"),
                "meeting.attachment": _("Đính kèm tệp vào hội nghị giao ban"),
                "meeting.decision": _("Ghi kết luận giao ban"),
                "guidance.create": _("Soạn dự thảo định hướng tuyên truyền"),
                "guidance.update": _("Sửa dự thảo định hướng"),
                "guidance.cosign": _("Đồng ký định hướng về nghị quyết HĐND"),
                "guidance.issue": _("Phát hành định hướng"),
                "guidance.withdraw": _("Hủy dự thảo hoặc thu hồi định hướng"),
                "guidance.acknowledge": _("Xác nhận đã nhận định hướng"),
                "guidance.remind": _("Nhắc xác nhận đã nhận định hướng"),
                "network.add": _("Thêm thành viên mạng lưới"),
                "network.update": _("Sửa thông tin thành viên mạng lưới"),
                "network.deactivate": _("Cho thôi tham gia mạng lưới"),
                "network.report_back": _("Gửi phản ánh dư luận từ mạng lưới"),
                "briefing.create": _("Tạo hội nghị báo cáo viên"),
                "briefing.attendance": _("Điểm danh hội nghị báo cáo viên"),
                "project.create": _("Thêm dự án trọng điểm"),
                "project.update": _("Sửa dự án trọng điểm"),
                "project.cancel": _("Thôi theo dõi dự án trọng điểm"),
                "project.link": _("Tự động gắn tín hiệu, vấn đề với dự án"),
                "project.link_manual": _("Gắn tín hiệu, vấn đề với dự án"),
                "project.unlink": _("Gỡ tín hiệu, vấn đề khỏi dự án"),
                "exemplary.create": _("Đề xuất điển hình tiên tiến"),
                "exemplary.update": _("Sửa điển hình tiên tiến"),
                "exemplary.cancel": _("Hủy điển hình tiên tiến"),
                "exemplary.review": _("Xét công nhận điển hình tiên tiến"),
                "commendation.create": _("Lập đề xuất khen thưởng"),
                "commendation.update": _("Sửa đề xuất khen thưởng"),
                "commendation.withdraw": _("Rút đề xuất khen thưởng"),
                # commendation_services._step: «commendation.<the state it moves to>»
                "commendation.submitted": _("Trình đề xuất khen thưởng"),
                "commendation.reviewed": _("Thẩm định đề xuất khen thưởng"),
                "commendation.approved": _("Phê duyệt khen thưởng"),
                "commendation.rejected": _("Không phê duyệt đề xuất khen thưởng"),
            }
        )
