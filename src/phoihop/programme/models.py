"""The signed coordination programme: content areas, annual plans, tasks and their progress,
coordination meetings, key projects, the reporter network and its orientation guidance,
exemplary models and commendation proposals."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from phoihop.core.models import AdministrativeUnit, Agency, Field, User
from phoihop.programme.meeting_models import MeetingAttachment  # noqa: F401  (registers it)


class Programme(models.Model):
    """The coordination programme signed between the parties (Chương trình phối hợp)."""

    title = models.CharField(_("tên chương trình"), max_length=400)
    number = models.CharField(_("số hiệu"), max_length=100, blank=True)
    signed_on = models.DateField(_("ngày ký"))
    legal_basis = models.TextField(_("căn cứ"), blank=True)
    term_start = models.DateField(_("có hiệu lực từ"), null=True, blank=True)
    term_end = models.DateField(_("đến"), null=True, blank=True)
    parties = models.ManyToManyField(
        Agency, related_name="programmes", verbose_name=_("các bên ký kết")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("chương trình phối hợp")
        verbose_name_plural = _("chương trình phối hợp")
        ordering = ["-signed_on", "-id"]

    def __str__(self) -> str:
        return self.title


class ContentArea(models.Model):
    """One of the programme's content areas (nội dung phối hợp)."""

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="areas", verbose_name=_("chương trình")
    )
    number = models.PositiveIntegerField(_("số thứ tự"))
    title = models.CharField(_("nội dung"), max_length=400)

    class Meta:
        verbose_name = _("nội dung phối hợp")
        verbose_name_plural = _("nội dung phối hợp")
        ordering = ["programme", "number"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "number"], name="unique_area_number")
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"


class AnnualPlan(models.Model):
    """The plan of one year that breaks the content areas into tasks (kế hoạch năm)."""

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="plans", verbose_name=_("chương trình")
    )
    year = models.PositiveIntegerField(_("năm"))
    title = models.CharField(_("tên kế hoạch"), max_length=400)

    class Meta:
        verbose_name = _("kế hoạch năm")
        verbose_name_plural = _("kế hoạch năm")
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "year"], name="unique_plan_year")
        ]

    def __str__(self) -> str:
        return self.title


class Meeting(models.Model):
    """A coordination meeting (hội nghị giao ban) whose decisions become tasks."""

    programme = models.ForeignKey(
        Programme,
        on_delete=models.CASCADE,
        related_name="meetings",
        verbose_name=_("chương trình"),
    )
    title = models.CharField(_("tên cuộc họp"), max_length=400)
    held_on = models.DateField(_("ngày họp"))
    agenda = models.TextField(_("chương trình họp"), blank=True)
    attendees = models.ManyToManyField(
        Agency, related_name="meetings", blank=True, verbose_name=_("cơ quan dự họp")
    )
    attendee_names = models.TextField(_("đại biểu dự họp"), blank=True)
    minutes = models.TextField(_("kết luận"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    cancelled_at = models.DateTimeField(_("thời điểm hủy"), null=True, blank=True)
    cancel_reason = models.TextField(_("lý do hủy"), blank=True)

    class Meta:
        verbose_name = _("hội nghị giao ban")
        verbose_name_plural = _("hội nghị giao ban")
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return self.title


class Decision(models.Model):
    """One decision (kết luận) of a meeting; it becomes a task when someone must act on it."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="decisions", verbose_name=_("cuộc họp")
    )
    text = models.TextField(_("nội dung kết luận"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("kết luận giao ban")
        verbose_name_plural = _("kết luận giao ban")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.text[:80]


class Task(models.Model):
    """A task of an annual plan: a lead agency, coordinating agencies, a due date, outputs."""

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", _("Chưa triển khai")
        IN_PROGRESS = "in_progress", _("Đang thực hiện")
        DONE = "done", _("Hoàn thành")
        CANCELLED = "cancelled", _("Dừng thực hiện")

    OPEN_STATUSES = (Status.NOT_STARTED, Status.IN_PROGRESS)

    plan = models.ForeignKey(
        AnnualPlan, on_delete=models.CASCADE, related_name="tasks", verbose_name=_("kế hoạch")
    )
    area = models.ForeignKey(
        ContentArea,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tasks",
        verbose_name=_("nội dung phối hợp"),
    )
    # The code people type in progress spreadsheets, e.g. "2026-03".
    code = models.CharField(_("mã nhiệm vụ"), max_length=30, unique=True)
    title = models.CharField(_("nhiệm vụ"), max_length=500)
    description = models.TextField(_("mô tả"), blank=True)
    expected_output = models.TextField(_("sản phẩm dự kiến"), blank=True)
    lead_agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        related_name="led_tasks",
        verbose_name=_("cơ quan chủ trì"),
    )
    coordinating_agencies = models.ManyToManyField(
        Agency,
        related_name="coordinated_tasks",
        blank=True,
        verbose_name=_("cơ quan phối hợp"),
    )
    due_on = models.DateField(_("thời hạn"))
    status = models.CharField(
        _("tình trạng"),
        max_length=20,
        choices=Status.choices,
        default=Status.NOT_STARTED,
        db_index=True,
    )
    progress = models.PositiveSmallIntegerField(_("tiến độ (%)"), default=0)
    completed_on = models.DateField(_("ngày hoàn thành"), null=True, blank=True)
    decision = models.OneToOneField(
        Decision,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="task",
        verbose_name=_("theo kết luận giao ban"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("nhiệm vụ")
        verbose_name_plural = _("nhiệm vụ")
        ordering = ["due_on", "code"]

    def __str__(self) -> str:
        return f"{self.code} — {self.title}"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES


class ProgressReport(models.Model):
    """One agency's periodic report on one task: percent, narrative and evidence."""

    task = models.ForeignKey(
        Task, on_delete=models.CASCADE, related_name="reports", verbose_name=_("nhiệm vụ")
    )
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="progress_reports", verbose_name=_("cơ quan")
    )
    percent = models.PositiveSmallIntegerField(_("tiến độ (%)"))
    narrative = models.TextField(_("kết quả thực hiện"), blank=True)
    evidence = models.TextField(_("minh chứng"), blank=True)
    reported_on = models.DateField(_("ngày báo cáo"))
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    source = models.CharField(_("nguồn"), max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("báo cáo tiến độ")
        verbose_name_plural = _("báo cáo tiến độ")
        ordering = ["-reported_on", "-id"]

    def __str__(self) -> str:
        return f"{self.task.code} — {self.agency} — {self.percent}%"


class KeyProject(models.Model):
    """A key socio-economic project (dự án, đề án trọng điểm) whose public opinion is watched."""

    code = models.SlugField(_("mã"), max_length=60, unique=True)
    name = models.CharField(_("tên dự án"), max_length=400)
    owner_agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        related_name="key_projects",
        verbose_name=_("cơ quan chủ quản"),
    )
    places = models.ManyToManyField(
        AdministrativeUnit, related_name="key_projects", blank=True, verbose_name=_("địa bàn")
    )
    description = models.TextField(_("mô tả"), blank=True)
    phases = models.TextField(_("các giai đoạn"), blank=True, help_text=_("mỗi dòng một giai đoạn"))
    keywords = models.TextField(
        _("từ khóa nhận diện"),
        blank=True,
        help_text=_("mỗi dòng một cụm từ; tín hiệu, vấn đề chứa cụm từ được gắn với dự án"),
    )
    plan_messages = models.TextField(_("thông điệp truyền thông"), blank=True)
    plan_channels = models.TextField(_("kênh truyền thông"), blank=True)
    plan_schedule = models.TextField(_("lịch truyền thông"), blank=True)
    plan_agencies = models.ManyToManyField(
        Agency,
        related_name="+",
        blank=True,
        verbose_name=_("cơ quan chịu trách nhiệm truyền thông"),
    )
    cancelled_at = models.DateTimeField(_("thời điểm hủy"), null=True, blank=True)
    cancel_reason = models.TextField(_("lý do hủy"), blank=True)

    class Meta:
        verbose_name = _("dự án trọng điểm")
        verbose_name_plural = _("dự án trọng điểm")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ProjectLink(models.Model):
    """A signal or issue linked to a key project (by its keywords or by a person)."""

    project = models.ForeignKey(
        KeyProject, on_delete=models.CASCADE, related_name="links", verbose_name=_("dự án")
    )
    signal = models.ForeignKey(
        "intake.Signal", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    issue = models.ForeignKey(
        "cases.Issue", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    matched = models.CharField(_("cụm từ khớp"), max_length=200, blank=True)
    linked_at = models.DateTimeField(auto_now_add=True)
    score = models.FloatField(_("độ tương đồng"), null=True, blank=True)
    # None: linked by the matcher; a person otherwise.
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # A link staff removed stays as a record, so the matcher does not link it again.
    removed = models.BooleanField(_("đã bỏ gắn"), default=False)

    class Meta:
        verbose_name = _("tín hiệu gắn với dự án")
        verbose_name_plural = _("tín hiệu gắn với dự án")
        constraints = [
            models.UniqueConstraint(fields=["project", "signal"], name="unique_project_signal"),
            models.UniqueConstraint(fields=["project", "issue"], name="unique_project_issue"),
        ]

    def __str__(self) -> str:
        return f"{self.project} ← {self.signal_id or self.issue_id}"


class NetworkMember(models.Model):
    """A person of the Propaganda Department's network who receives orientation guidance."""

    class Kind(models.TextChoices):
        REPORTER = "reporter", _("Báo cáo viên")
        PROPAGANDIST = "propagandist", _("Tuyên truyền viên")
        COLLABORATOR = "collaborator", _("Cộng tác viên dư luận xã hội")

    # Many members never log in: they are people with a phone or an e-mail, reached through
    # the notification channels and a one-tap acknowledgement link.
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="network_member",
        verbose_name=_("tài khoản"),
    )
    full_name = models.CharField(_("họ và tên"), max_length=255, blank=True)
    position = models.CharField(_("chức vụ"), max_length=255, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=30, blank=True)
    email = models.EmailField(_("thư điện tử"), blank=True)
    kind = models.CharField(_("loại"), max_length=20, choices=Kind.choices)
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="network_members", verbose_name=_("cơ quan")
    )
    place = models.ForeignKey(
        AdministrativeUnit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("địa bàn"),
    )
    is_active = models.BooleanField(_("đang hoạt động"), default=True)

    class Meta:
        verbose_name = _("thành viên mạng lưới")
        verbose_name_plural = _("mạng lưới báo cáo viên, tuyên truyền viên, cộng tác viên")
        ordering = ["agency__name", "full_name"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        """The member's name: their own record first, else their account's."""
        if self.full_name:
            return self.full_name
        return str(self.user) if self.user_id else ""


class Resolution(models.Model):
    """A resolution of the provincial People's Council that guidance may explain."""

    number = models.CharField(_("số nghị quyết"), max_length=60, unique=True)
    adopted_on = models.DateField(_("ngày ban hành"))
    title = models.CharField(_("trích yếu"), max_length=500)
    summary = models.TextField(_("tóm tắt nội dung"), blank=True)

    class Meta:
        verbose_name = _("nghị quyết HĐND")
        verbose_name_plural = _("nghị quyết HĐND")
        ordering = ["-adopted_on"]

    def __str__(self) -> str:
        return f"{self.number} — {self.title}"


class Guidance(models.Model):
    """Orientation guidance (định hướng tuyên truyền) sent to the reporter network."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Dự thảo")
        ISSUED = "issued", _("Đã phát hành")
        WITHDRAWN = "withdrawn", _("Đã thu hồi")

    title = models.CharField(_("tiêu đề"), max_length=400)
    topic = models.CharField(_("chủ đề"), max_length=300, blank=True)
    key_messages = models.TextField(_("thông điệp chính"))
    explanation = models.TextField(_("nội dung giải thích"), blank=True)
    links = models.TextField(
        _("bài viết tham khảo"), blank=True, help_text=_("mỗi dòng một đường dẫn")
    )
    valid_from = models.DateField(_("hiệu lực từ"))
    valid_until = models.DateField(_("hiệu lực đến"), null=True, blank=True)
    issue = models.ForeignKey(
        "cases.Issue",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("vấn đề"),
    )
    resolution = models.ForeignKey(
        Resolution,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="guidances",
        verbose_name=_("nghị quyết được giải thích"),
    )
    state = models.CharField(
        _("trạng thái"), max_length=20, choices=State.choices, default=State.DRAFT
    )
    sender_agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="+", verbose_name=_("cơ quan phát hành")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Guidance on a council resolution is prepared with the HĐND staff, who co-sign it.
    cosigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người đồng ký (HĐND)"),
    )
    cosigned_at = models.DateTimeField(_("thời điểm đồng ký"), null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    issued_at = models.DateTimeField(_("thời điểm phát hành"), null=True, blank=True)

    class Meta:
        verbose_name = _("định hướng tuyên truyền")
        verbose_name_plural = _("định hướng tuyên truyền")
        ordering = ["-valid_from", "-id"]

    def __str__(self) -> str:
        return self.title

    def is_valid_on(self, day: dt.date) -> bool:
        return self.valid_from <= day and (self.valid_until is None or day <= self.valid_until)

    @property
    def is_current(self) -> bool:
        """Issued and within its validity period today."""
        return self.state == self.State.ISSUED and self.is_valid_on(timezone.localdate())

    @property
    def needs_cosign(self) -> bool:
        return self.resolution_id is not None and self.cosigned_at is None

    def link_list(self) -> list[str]:
        return [line.strip() for line in self.links.splitlines() if line.strip()]


class GuidanceRecipient(models.Model):
    """Guidance delivered to one network member, and when they acknowledged it."""

    guidance = models.ForeignKey(
        Guidance, on_delete=models.CASCADE, related_name="recipients", verbose_name=_("định hướng")
    )
    member = models.ForeignKey(
        NetworkMember,
        on_delete=models.PROTECT,
        related_name="deliveries",
        verbose_name=_("người nhận"),
    )
    delivered_at = models.DateTimeField(_("thời điểm gửi"), auto_now_add=True)
    acknowledged_at = models.DateTimeField(_("thời điểm xác nhận"), null=True, blank=True)
    reminders = models.PositiveSmallIntegerField(_("số lần nhắc"), default=0)
    reminded_at = models.DateTimeField(_("lần nhắc gần nhất"), null=True, blank=True)

    class Meta:
        verbose_name = _("người nhận định hướng")
        verbose_name_plural = _("người nhận định hướng")
        ordering = ["member__full_name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["guidance", "member"], name="unique_guidance_member")
        ]

    def __str__(self) -> str:
        return f"{self.guidance} → {self.member}"


class FieldReport(models.Model):
    """What a network member heard from people, sent back; it is stored as a signal for triage."""

    guidance = models.ForeignKey(
        Guidance,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="field_reports",
        verbose_name=_("định hướng"),
    )
    member = models.ForeignKey(
        NetworkMember, on_delete=models.PROTECT, related_name="field_reports"
    )
    signal = models.ForeignKey("intake.Signal", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("phản ánh dư luận từ mạng lưới")
        verbose_name_plural = _("phản ánh dư luận từ mạng lưới")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["member", "signal"], name="unique_member_signal")
        ]

    def __str__(self) -> str:
        return f"{self.member}: {self.signal}"


class ExemplaryModel(models.Model):
    """An exemplary model (điển hình tiên tiến, nhân tố mới) worth spreading."""

    class Kind(models.TextChoices):
        COLLECTIVE = "collective", _("Tập thể")
        INDIVIDUAL = "individual", _("Cá nhân")

    class Review(models.TextChoices):
        PENDING = "pending", _("Chờ thẩm định")
        APPROVED = "approved", _("Đã công nhận")
        REJECTED = "rejected", _("Không công nhận")

    name = models.CharField(_("tên điển hình"), max_length=400)
    kind = models.CharField(_("loại"), max_length=20, choices=Kind.choices)
    place = models.ForeignKey(
        AdministrativeUnit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("địa bàn"),
    )
    field = models.ForeignKey(
        Field,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("lĩnh vực"),
    )
    achievements = models.TextField(_("thành tích"))
    evidence = models.TextField(_("minh chứng"), blank=True)
    article_links = models.TextField(
        _("bài viết lan tỏa"), blank=True, help_text=_("mỗi dòng một đường dẫn")
    )
    proposing_agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="+", verbose_name=_("cơ quan đề xuất")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Reviewed by the programme's coordinators before it is spread (and put on the portal).
    review = models.CharField(
        _("thẩm định"), max_length=20, choices=Review.choices, default=Review.PENDING
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("thời điểm thẩm định"), null=True, blank=True)
    review_note = models.TextField(_("ý kiến thẩm định"), blank=True)
    portal_url = models.CharField(_("bài trên cổng thông tin"), max_length=500, blank=True)
    cancelled_at = models.DateTimeField(_("thời điểm hủy"), null=True, blank=True)
    cancel_reason = models.TextField(_("lý do hủy"), blank=True)

    class Meta:
        verbose_name = _("điển hình tiên tiến")
        verbose_name_plural = _("điển hình tiên tiến")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.name

    def link_list(self) -> list[str]:
        return [line.strip() for line in self.article_links.splitlines() if line.strip()]


class CommendationProposal(models.Model):
    """A commendation proposal (đề xuất khen thưởng) moving along an approval chain:
    the proposing agency submits, the reviewing agency reviews, the approving agency decides."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Dự thảo")
        SUBMITTED = "submitted", _("Đã trình")
        REVIEWED = "reviewed", _("Đã thẩm định")
        APPROVED = "approved", _("Đã phê duyệt")
        REJECTED = "rejected", _("Không phê duyệt")
        WITHDRAWN = "withdrawn", _("Đã rút")

    class NomineeKind(models.TextChoices):
        COLLECTIVE = "collective", _("Tập thể")
        INDIVIDUAL = "individual", _("Cá nhân")

    nominee = models.CharField(_("tập thể, cá nhân được đề nghị"), max_length=400)
    nominee_kind = models.CharField(_("loại"), max_length=20, choices=NomineeKind.choices)
    exemplary_model = models.ForeignKey(
        ExemplaryModel,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="proposals",
        verbose_name=_("điển hình"),
    )
    achievements = models.TextField(_("thành tích"))
    evidence = models.TextField(_("minh chứng"), blank=True)
    form = models.CharField(_("hình thức khen thưởng"), max_length=300)
    year = models.PositiveIntegerField(_("năm"))
    proposing_agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="+", verbose_name=_("cơ quan đề xuất")
    )
    reviewing_agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="+", verbose_name=_("cơ quan thẩm định")
    )
    approving_agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="+", verbose_name=_("cơ quan phê duyệt")
    )
    state = models.CharField(
        _("trạng thái"), max_length=20, choices=State.choices, default=State.DRAFT, db_index=True
    )
    reason = models.TextField(_("lý do"), blank=True)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(_("ngày trình"), null=True, blank=True)
    reviewed_at = models.DateTimeField(_("ngày thẩm định"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("ngày quyết định"), null=True, blank=True)
    decided_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The commendation decision the approving agency signed (số, ngày quyết định).
    decision_number = models.CharField(_("số quyết định"), max_length=60, blank=True)
    decision_date = models.DateField(_("ngày ký quyết định"), null=True, blank=True)

    class Meta:
        verbose_name = _("đề xuất khen thưởng")
        verbose_name_plural = _("đề xuất khen thưởng")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.nominee} — {self.form}"


class Briefing(models.Model):
    """A briefing of the network (hội nghị báo cáo viên), and who attended it."""

    title = models.CharField(_("tên hội nghị"), max_length=400)
    held_on = models.DateField(_("ngày tổ chức"))
    venue = models.CharField(_("địa điểm"), max_length=400, blank=True)
    guidance = models.ForeignKey(
        Guidance,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="briefings",
        verbose_name=_("định hướng được quán triệt"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("hội nghị báo cáo viên")
        verbose_name_plural = _("hội nghị báo cáo viên")
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return self.title


class Attendance(models.Model):
    """One member's attendance at a briefing (present, or absent with a reason)."""

    briefing = models.ForeignKey(
        Briefing, on_delete=models.CASCADE, related_name="attendance", verbose_name=_("hội nghị")
    )
    member = models.ForeignKey(
        NetworkMember,
        on_delete=models.PROTECT,
        related_name="attendance",
        verbose_name=_("thành viên"),
    )
    present = models.BooleanField(_("có mặt"), default=True)
    note = models.CharField(_("ghi chú"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("điểm danh")
        verbose_name_plural = _("điểm danh")
        ordering = ["member__agency__name", "member__full_name"]
        constraints = [
            models.UniqueConstraint(fields=["briefing", "member"], name="unique_briefing_member")
        ]

    def __str__(self) -> str:
        return f"{self.briefing} — {self.member}"
