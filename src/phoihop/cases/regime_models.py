"""Legal deadline regimes (chế độ thời hạn): the rules each kind of issue is answered by,
configured in admin with their legal basis, and the extensions a leader approved."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class DeadlineRegime(models.Model):
    """A set of deadline rules with one legal basis: feedback and petitions, complaints
    (Luật Khiếu nại 2011), denunciations (Luật Tố cáo 2018), voters' petitions."""

    class Kind(models.TextChoices):
        # The arithmetic each kind follows (cases.deadlines); the numbers are in the rules.
        FEEDBACK = "feedback", _("Phản ánh, kiến nghị")
        COMPLAINT = "complaint", _("Khiếu nại")
        DENUNCIATION = "denunciation", _("Tố cáo")
        VOTER_PETITION = "voter_petition", _("Kiến nghị cử tri")

    code = models.SlugField(_("mã"), max_length=40, unique=True)
    name = models.CharField(_("tên chế độ thời hạn"), max_length=200)
    kind = models.CharField(_("cách tính"), max_length=20, choices=Kind.choices)
    legal_basis = models.TextField(_("căn cứ pháp lý"))
    is_active = models.BooleanField(_("đang dùng"), default=True)

    class Meta:
        verbose_name = _("chế độ thời hạn")
        verbose_name_plural = _("chế độ thời hạn")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class RegimeRule(models.Model):
    """One time limit of a regime: which step, how many days, counted how, and by which
    article. Steps without a rule do not apply to the regime."""

    class Step(models.TextChoices):
        ACCEPTANCE = "acceptance", _("Thụ lý")
        RESOLUTION = "resolution", _("Giải quyết")
        RESOLUTION_COMPLEX = "resolution_complex", _("Giải quyết — vụ việc phức tạp")
        RESOLUTION_REMOTE = "resolution_remote", _("Giải quyết — vùng sâu, vùng xa")
        RESOLUTION_REMOTE_COMPLEX = (
            "resolution_remote_complex",
            _("Giải quyết — vùng sâu, vùng xa, vụ việc phức tạp"),
        )
        SECOND = "second", _("Giải quyết lần hai")
        SECOND_COMPLEX = "second_complex", _("Giải quyết lần hai — vụ việc phức tạp")
        SECOND_REMOTE = "second_remote", _("Giải quyết lần hai — vùng sâu, vùng xa")
        SECOND_REMOTE_COMPLEX = (
            "second_remote_complex",
            _("Giải quyết lần hai — vùng sâu, vùng xa, vụ việc phức tạp"),
        )
        EXTENSION = "extension", _("Gia hạn")
        EXTENSION_COMPLEX = "extension_complex", _("Gia hạn — vụ việc phức tạp")
        EXTENSION_VERY_COMPLEX = "extension_very_complex", _("Gia hạn — vụ việc đặc biệt phức tạp")

    class Unit(models.TextChoices):
        CALENDAR = "calendar", _("ngày (theo lịch)")
        WORKING = "working", _("ngày làm việc")

    regime = models.ForeignKey(
        DeadlineRegime, on_delete=models.CASCADE, related_name="rules", verbose_name=_("chế độ")
    )
    step = models.CharField(_("bước"), max_length=30, choices=Step.choices)
    days = models.PositiveIntegerField(_("số ngày"))
    unit = models.CharField(_("cách đếm"), max_length=10, choices=Unit.choices)
    # Extensions only: how many times the step may be granted.
    max_times = models.PositiveIntegerField(_("số lần tối đa"), default=1)
    legal_basis = models.CharField(_("điều khoản"), max_length=300)

    class Meta:
        verbose_name = _("quy định thời hạn")
        verbose_name_plural = _("quy định thời hạn")
        ordering = ["regime", "id"]
        constraints = [
            models.UniqueConstraint(fields=["regime", "step"], name="unique_regime_step")
        ]

    def __str__(self) -> str:
        return f"{self.regime} — {self.get_step_display()}: {self.days} {self.get_unit_display()}"


class DeadlineExtension(models.Model):
    """An extension of an issue's legal deadline: asked with a reason, granted (or refused)
    by a leader. Only granted extensions move the due date."""

    class State(models.TextChoices):
        REQUESTED = "requested", _("Chờ lãnh đạo duyệt")
        APPROVED = "approved", _("Đã duyệt")
        REFUSED = "refused", _("Không duyệt")

    issue = models.ForeignKey(
        "cases.Issue",
        on_delete=models.CASCADE,
        related_name="extensions",
        verbose_name=_("vấn đề"),
    )
    days = models.PositiveIntegerField(_("số ngày gia hạn"))
    unit = models.CharField(_("cách đếm"), max_length=10, choices=RegimeRule.Unit.choices)
    legal_basis = models.CharField(_("căn cứ"), max_length=300)
    reason = models.TextField(_("lý do gia hạn"))
    state = models.CharField(
        _("trạng thái"), max_length=20, choices=State.choices, default=State.REQUESTED
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("người đề nghị"),
    )
    requested_at = models.DateTimeField(_("ngày đề nghị"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("lãnh đạo duyệt"),
    )
    decided_at = models.DateTimeField(_("ngày duyệt"), null=True, blank=True)

    class Meta:
        verbose_name = _("gia hạn giải quyết")
        verbose_name_plural = _("gia hạn giải quyết")
        ordering = ["requested_at", "id"]

    def __str__(self) -> str:
        return f"{self.issue.code} +{self.days} ({self.get_state_display()})"
