"""Issues, their assignments to agencies, the agencies' responses and the official answer."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from phoihop.cases.regime_models import (  # noqa: F401  (registers them)
    DeadlineExtension,
    DeadlineRegime,
    RegimeRule,
)
from phoihop.core.models import AdministrativeUnit, Agency, DeadlineRule, Field, User


def default_regime_id() -> int | None:
    """New issues follow the feedback regime unless someone chooses another."""
    return DeadlineRegime.objects.filter(code=FEEDBACK_REGIME).values_list("pk", flat=True).first()


FEEDBACK_REGIME = "phan-anh"


class Complexity(models.TextChoices):
    NORMAL = "normal", _("Bình thường")
    COMPLEX = "complex", _("Phức tạp")
    VERY_COMPLEX = "very_complex", _("Đặc biệt phức tạp")


class Issue(models.Model):
    class State(models.TextChoices):
        # what the issue waits for, as «Việc của tôi» says it (a bare «Phân loại» read as
        # a verb, and the inbox named the same state «Chờ giao xử lý»)
        RECEIVED = "received", _("Chờ phân loại")
        CLASSIFIED = "classified", _("Chờ giao xử lý")
        ASSIGNED = "assigned", _("Đã giao")
        IN_PROGRESS = "in_progress", _("Đang xử lý")
        ANSWERED = "answered", _("Đã trả lời")
        PUBLISHED = "published", _("Đã công khai")
        CLOSED = "closed", _("Đóng")

    Urgency = DeadlineRule.Urgency
    Complexity = Complexity

    class Visibility(models.TextChoices):
        PUBLIC = "public", _("Công khai")
        INTERNAL = "internal", _("Nội bộ")
        CONFIDENTIAL = "confidential", _("Mật")

    class Competence(models.TextChoices):
        CENTRAL = "central", _("Thẩm quyền Trung ương")
        PROVINCE = "province", _("Thẩm quyền cấp tỉnh")
        COMMUNE = "commune", _("Thẩm quyền cấp xã")

    class Outcome(models.TextChoices):
        RESOLVED = "resolved", _("Đã giải quyết")
        EXPLAINED = "explained", _("Đã giải trình, cung cấp thông tin")
        IN_PROGRESS = "in_progress", _("Đang giải quyết")
        UNRESOLVED = "unresolved", _("Chưa giải quyết")

    code = models.CharField(_("mã vấn đề"), max_length=20, unique=True)
    title = models.CharField(_("tiêu đề"), max_length=300)
    # The few words lists, inbox rows and reports show when the title is long.
    short_title = models.CharField(_("tên ngắn"), max_length=120, blank=True)
    description = models.TextField(_("nội dung"), blank=True)
    field = models.ForeignKey(
        Field,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="issues",
        verbose_name=_("lĩnh vực"),
    )
    place = models.ForeignKey(
        AdministrativeUnit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="issues",
        verbose_name=_("địa bàn"),
    )
    urgency = models.CharField(
        _("độ khẩn"), max_length=20, choices=Urgency.choices, default=Urgency.NORMAL
    )
    visibility = models.CharField(
        _("mức độ công khai"),
        max_length=20,
        choices=Visibility.choices,
        default=Visibility.INTERNAL,
    )
    state = models.CharField(
        _("trạng thái"),
        max_length=20,
        choices=State.choices,
        default=State.RECEIVED,
        db_index=True,
    )
    received_on = models.DateField(_("ngày tiếp nhận"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người tạo"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    competence = models.CharField(
        _("cấp thẩm quyền"), max_length=20, choices=Competence.choices, blank=True
    )
    answer = models.TextField(_("trả lời chính thức"), blank=True)
    outcome = models.CharField(
        _("kết quả giải quyết"), max_length=20, choices=Outcome.choices, blank=True
    )
    roadmap = models.TextField(_("lộ trình giải quyết"), blank=True)
    answered_at = models.DateTimeField(_("ngày trả lời"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người duyệt trả lời"),
    )
    published_at = models.DateTimeField(_("ngày công khai"), null=True, blank=True)
    closed_at = models.DateTimeField(_("ngày đóng"), null=True, blank=True)
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged_from",
        verbose_name=_("đã gộp vào"),
    )
    # The legal deadline regime and the facts its rules depend on (cases.deadlines); issues
    # are created with the feedback regime, and an issue without one is counted by it.
    regime = models.ForeignKey(
        "cases.DeadlineRegime",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="issues",
        verbose_name=_("chế độ thời hạn"),
    )
    complexity = models.CharField(
        _("tính chất vụ việc"), max_length=20, choices=Complexity.choices, default="normal"
    )
    remote_area = models.BooleanField(_("vùng sâu, vùng xa đi lại khó khăn"), default=False)
    second_time = models.BooleanField(_("giải quyết lần hai"), default=False)
    # Title and description without diacritics, so search works with or without accents.
    search_text = models.TextField(editable=False, blank=True)
    cleared_users: models.ManyToManyField[User, IssueClearance] = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        through="IssueClearance",
        through_fields=("issue", "user"),
        related_name="cleared_issues",
        blank=True,
    )

    class Meta:
        verbose_name = _("vấn đề")
        verbose_name_plural = _("vấn đề")
        ordering = ["-received_on", "-id"]

    def __str__(self) -> str:
        return f"{self.code} — {self.title}"

    @property
    def lead_assignment(self) -> Assignment | None:
        for assignment in self.assignments.all():
            if assignment.role == Assignment.Role.LEAD and assignment.is_open:
                return assignment
        return None

    @property
    def standing_assignments(self) -> list[Assignment]:
        """The agencies handling or that handled the issue: not those it was returned by,
        transferred from or cancelled for (the issue list's «Cơ quan được giao»)."""
        gone = (
            Assignment.State.RETURNED,
            Assignment.State.TRANSFERRED,
            Assignment.State.CANCELLED,
        )
        return [a for a in self.assignments.all() if a.state not in gone]


class IssueClearance(models.Model):
    """Explicit access of one person to one confidential issue."""

    issue = models.ForeignKey(Issue, on_delete=models.CASCADE, related_name="clearances")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="clearances"
    )
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    granted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("quyền xem vấn đề mật")
        verbose_name_plural = _("quyền xem vấn đề mật")
        constraints = [
            models.UniqueConstraint(fields=["issue", "user"], name="unique_issue_clearance")
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.issue}"


class Assignment(models.Model):
    """An issue given to one agency, as lead (chủ trì) or support (phối hợp), with a deadline."""

    class Role(models.TextChoices):
        LEAD = "lead", _("Chủ trì")
        SUPPORT = "support", _("Phối hợp")

    class State(models.TextChoices):
        PENDING = "pending", _("Chờ tiếp nhận")
        ACCEPTED = "accepted", _("Đang xử lý")
        RESPONDED = "responded", _("Đã có ý kiến")
        RETURNED = "returned", _("Đã trả lại")
        TRANSFERRED = "transferred", _("Chuyển cơ quan kế nhiệm")
        CANCELLED = "cancelled", _("Đã hủy")

    OPEN_STATES = (State.PENDING, State.ACCEPTED)

    issue = models.ForeignKey(
        Issue, on_delete=models.CASCADE, related_name="assignments", verbose_name=_("vấn đề")
    )
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="assignments", verbose_name=_("cơ quan")
    )
    # The agency's name when the assignment was made: history keeps old names.
    agency_name = models.CharField(_("tên cơ quan khi giao"), max_length=255)
    role = models.CharField(_("vai trò"), max_length=10, choices=Role.choices)
    state = models.CharField(
        _("trạng thái"),
        max_length=20,
        choices=State.choices,
        default=State.PENDING,
        db_index=True,
    )
    deadline = models.DateField(_("hạn xử lý"))
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("người giao"),
    )
    assigned_at = models.DateTimeField(_("ngày giao"), auto_now_add=True)
    accepted_at = models.DateTimeField(_("ngày tiếp nhận"), null=True, blank=True)
    completed_at = models.DateTimeField(_("ngày hoàn thành"), null=True, blank=True)
    return_reason = models.TextField(_("lý do trả lại"), blank=True)
    escalated_at = models.DateTimeField(_("báo cáo quá hạn lúc"), null=True, blank=True)
    transferred_from = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="transferred_to",
        verbose_name=_("chuyển từ"),
    )

    class Meta:
        verbose_name = _("giao xử lý")
        verbose_name_plural = _("giao xử lý")
        ordering = ["deadline", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["issue"],
                condition=Q(role="lead", state__in=["pending", "accepted"]),
                name="one_open_lead_assignment",
            )
        ]

    def __str__(self) -> str:
        return f"{self.issue.code} → {self.agency_name} ({self.get_role_display()})"

    @property
    def is_open(self) -> bool:
        return self.state in self.OPEN_STATES


class Response(models.Model):
    """What an assigned agency says about the issue (its opinion, result, evidence)."""

    assignment = models.ForeignKey(
        Assignment,
        on_delete=models.CASCADE,
        related_name="responses",
        verbose_name=_("giao xử lý"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("người gửi"),
    )
    text = models.TextField(_("nội dung"))
    created_at = models.DateTimeField(_("thời điểm"), auto_now_add=True)
    # A signed official letter (công văn) or evidence; stored under a random name, the
    # person's file name kept only for the download.
    attachment = models.FileField(_("tệp đính kèm"), upload_to="cases/responses/%Y/%m/", blank=True)
    attachment_name = models.CharField(_("tên tệp đính kèm"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("ý kiến xử lý")
        verbose_name_plural = _("ý kiến xử lý")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.assignment} — {self.created_at:%d/%m/%Y}"


class ResolutionFeedback(models.Model):
    """A citizen's one-click answer to «Vấn đề đã được giải quyết chưa?» after an answer.

    Keyed by the citizen's tracking code (the signal lives in intake, above cases), the issue
    and the answer it judges (`answered_at`): one verdict per citizen per answer, so a second
    click changes nothing, and an issue answered again after a reopen is asked again.
    """

    issue = models.ForeignKey(
        Issue, on_delete=models.CASCADE, related_name="feedback", verbose_name=_("vấn đề")
    )
    tracking_code = models.CharField(_("mã tra cứu"), max_length=20)
    answered_at = models.DateTimeField(_("trả lời được đánh giá"))
    # The agency that led the answer judged (its name kept as it was then).
    agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("cơ quan chủ trì"),
    )
    agency_name = models.CharField(_("tên cơ quan chủ trì"), max_length=255, blank=True)
    resolved = models.BooleanField(_("đã được giải quyết"))
    reason = models.TextField(_("lý do"), blank=True)
    reopened = models.BooleanField(_("đã mở lại vấn đề"), default=False)
    created_at = models.DateTimeField(_("thời điểm"), auto_now_add=True)

    class Meta:
        verbose_name = _("ý kiến người dân về kết quả giải quyết")
        verbose_name_plural = _("ý kiến người dân về kết quả giải quyết")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["tracking_code", "issue", "answered_at"], name="one_verdict_per_answer"
            )
        ]

    def __str__(self) -> str:
        verdict = _("đã giải quyết") if self.resolved else _("chưa giải quyết")
        return f"{self.issue.code} — {self.tracking_code}: {verdict}"
