"""Triage in the product: proposals for signals, clusters of pending signals awaiting one
decision, staff decisions kept as training data, the journal of changes the long-lived
engine applies in place, and the versions of the field model."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from phoihop.cases.models import Issue
from phoihop.core.models import AdministrativeUnit
from phoihop.core.text import shorten
from phoihop.intake.models import Signal

# Channels whose issues are public by default: voters and citizens expect to read the answer.
PUBLIC_CHANNELS = (Signal.Channel.PETITION, Signal.Channel.FEEDBACK)


def default_visibility(channels: set[str]) -> str:
    """The visibility a new issue gets from the channels of its signals."""
    public = channels & set(PUBLIC_CHANNELS)
    return Issue.Visibility.PUBLIC if public else Issue.Visibility.INTERNAL


class Cluster(models.Model):
    """Pending signals that say the same thing (cụm), decided once by a coordinator: the
    result is one issue holding all of them. Its engine group is keyed by its first signal."""

    class State(models.TextChoices):
        OPEN = "open", _("Chờ xác nhận")
        DECIDED = "decided", _("Đã thành vấn đề")
        EMPTY = "empty", _("Đã tách hết")

    key = models.CharField(max_length=40, unique=True)  # the engine's group id: "s:<signal>"
    founder = models.ForeignKey(
        Signal, on_delete=models.PROTECT, related_name="+", verbose_name=_("ý kiến đầu tiên")
    )
    state = models.CharField(
        _("trạng thái"), max_length=10, choices=State.choices, default=State.OPEN, db_index=True
    )
    issue = models.ForeignKey(
        Issue,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="clusters",
        verbose_name=_("vấn đề"),
    )
    size = models.PositiveIntegerField(_("số ý kiến"), default=0)
    first_at = models.DateTimeField(_("ý kiến đầu"), null=True, blank=True)
    last_at = models.DateTimeField(_("ý kiến mới nhất"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("cụm ý kiến")
        verbose_name_plural = _("cụm ý kiến")
        ordering = ["-size", "-last_at", "-id"]
        # the coordinator's queue: open clusters, the largest and newest first
        indexes = [models.Index(fields=["state", "-size", "-last_at", "-id"], name="cluster_queue")]

    def __str__(self) -> str:
        return shorten(self.founder.title or self.founder.text, 80) if self.founder_id else self.key


class EngineEvent(models.Model):
    """One change the triage worker must apply to its engine in place (a staff decision, a
    merge, a split, a claim or routing change), in order. Written in the transaction of the
    change; the engine remembers the last one it applied, also in its snapshot."""

    class Kind(models.TextChoices):
        PLACE = "place", _("Xếp ý kiến vào nhóm")
        MERGE = "merge", _("Gộp nhóm")
        SPLIT = "split", _("Tách nhóm")
        PAIR = "pair", _("Cặp có nhãn")
        FIELD = "field", _("Sửa lĩnh vực")
        ISSUE = "issue", _("Vấn đề mới nhập tay")
        CLAIMS = "claims", _("Danh mục tin sai thay đổi")

    kind = models.CharField(max_length=10, choices=Kind.choices)
    data = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("thay đổi chờ áp dụng vào bộ phân loại")
        verbose_name_plural = _("thay đổi chờ áp dụng vào bộ phân loại")
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.pk} {self.get_kind_display()}"


class FieldModelVersion(models.Model):
    """A field model the worker trained and the held-out check that decided whether it was
    adopted; administrators read the version, the training set and the score here."""

    version = models.PositiveIntegerField(_("phiên bản"))
    adopted = models.BooleanField(_("được dùng"))

    class Chosen(models.TextChoices):
        LEXICON = "lexicon", _("Từ điển lĩnh vực")
        CURRENT = "current", _("Giữ mô hình đang dùng")
        CANDIDATE = "candidate", _("Mô hình mới")

    chosen = models.CharField(_("mô hình được dùng"), max_length=40, choices=Chosen.choices)
    examples = models.PositiveIntegerField(_("số ví dụ huấn luyện"))
    held_out = models.PositiveIntegerField(_("số ví dụ kiểm tra"))
    lexicon_score = models.FloatField(_("điểm của từ điển"), null=True, blank=True)
    current_score = models.FloatField(_("điểm mô hình đang dùng"), null=True, blank=True)
    candidate_score = models.FloatField(_("điểm mô hình mới"), null=True, blank=True)
    reason = models.TextField(_("lý do"), blank=True)
    created_at = models.DateTimeField(_("thời điểm"), auto_now_add=True)

    class Meta:
        verbose_name = _("phiên bản mô hình lĩnh vực")
        verbose_name_plural = _("phiên bản mô hình lĩnh vực")
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"v{self.version}"


class TriageProposal(models.Model):
    """What the triage engine proposes for one signal, with its evidence, and what staff
    decided. Decided proposals are the training data of the engine (field corrections,
    accepted and rejected joins)."""

    class Decision(models.TextChoices):
        JOIN = "join", _("Ghép vào vấn đề đã có")
        SUGGEST = "suggest", _("Có thể cùng vấn đề")
        NEW = "new", _("Vấn đề mới")

    class State(models.TextChoices):
        PENDING = "pending", _("Chờ cán bộ xác nhận")
        AUTO = "auto", _("Đã tự động ghép")
        ACCEPTED = "accepted", _("Cán bộ đã chấp nhận")
        CORRECTED = "corrected", _("Cán bộ đã sửa")

    signal = models.OneToOneField(
        Signal,
        on_delete=models.CASCADE,
        related_name="proposal",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    decision = models.CharField(_("đề xuất"), max_length=10, choices=Decision.choices)
    issue = models.ForeignKey(
        Issue,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="proposals",
        verbose_name=_("vấn đề đề xuất"),
    )
    score = models.FloatField(_("độ tương đồng"), default=0)
    field = models.ForeignKey(
        "core.Field",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("lĩnh vực"),
    )
    field_confidence = models.FloatField(_("độ tin cậy lĩnh vực"), default=0)
    needs_review = models.BooleanField(_("cần người xem"), default=True)
    agency = models.ForeignKey(
        "core.Agency",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("cơ quan có thẩm quyền"),
    )
    route_reason = models.TextField(_("lý do đề xuất cơ quan"), blank=True)
    central_level = models.BooleanField(_("có thể thuộc thẩm quyền Trung ương"), default=False)
    place = models.ForeignKey(
        AdministrativeUnit,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("địa bàn"),
    )
    evidence = models.JSONField(_("căn cứ"), default=dict)
    state = models.CharField(
        _("trạng thái"),
        max_length=10,
        choices=State.choices,
        default=State.PENDING,
        db_index=True,
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    # The group of pending signals this one was grouped into (None once joined to an issue
    # straight away, or for proposals made before clusters existed).
    cluster = models.ForeignKey(
        "Cluster",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="proposals",
        verbose_name=_("cụm"),
    )

    class Meta:
        db_table = "intake_triageproposal"
        verbose_name = _("đề xuất phân loại")
        verbose_name_plural = _("đề xuất phân loại")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.signal} → {self.get_decision_display()}"


class GroupingFeedback(models.Model):
    """A labelled pair from staff (merge: same issue; split or rejected suggestion: not the
    same) with the similarity the engine saw; the grouping thresholds are tuned on them."""

    class Kind(models.TextChoices):
        MERGE = "merge", _("Gộp vấn đề")
        SPLIT = "split", _("Tách vấn đề")
        ACCEPT = "accept", _("Chấp nhận gợi ý")
        REJECT = "reject", _("Bác gợi ý")

    kind = models.CharField(_("loại"), max_length=10, choices=Kind.choices)
    score = models.FloatField(_("độ tương đồng"))
    same = models.BooleanField(_("cùng vấn đề"))
    # The journal row it came from: applying the journal again never adds it twice.
    journal_seq = models.PositiveBigIntegerField(null=True, blank=True, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        db_table = "intake_groupingfeedback"
        verbose_name = _("phản hồi ghép nhóm")
        verbose_name_plural = _("phản hồi ghép nhóm")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.score:.2f}"
