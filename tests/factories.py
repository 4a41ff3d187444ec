"""Factories for test data (factory_boy): each test builds what it needs."""

from __future__ import annotations

import datetime as dt

import factory
from django.utils import timezone

from phoihop.cases.models import Assignment, Issue
from phoihop.core.models import AdministrativeUnit, Agency, Field, Membership, User
from phoihop.factcheck.models import Claim, Rebuttal
from phoihop.intake.models import Signal
from phoihop.portal.models import Article
from phoihop.programme.models import (
    AnnualPlan,
    CommendationProposal,
    ExemplaryModel,
    Guidance,
    GuidanceRecipient,
    NetworkMember,
    Programme,
    Task,
)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"Cán bộ {n}")
    password = factory.django.Password("mat-khau-thu")


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"agency-{n}")
    name = factory.Sequence(lambda n: f"Sở thử nghiệm {n}")
    kind = Agency.Kind.DEPARTMENT


class FieldFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Field
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"field-{n}")
    name = factory.Sequence(lambda n: f"Lĩnh vực {n}")


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AdministrativeUnit

    level = AdministrativeUnit.Level.COMMUNE
    code = factory.Sequence(lambda n: 90000 + n)
    name = factory.Sequence(lambda n: f"Xã Thử {n}")
    search_name = factory.LazyAttribute(lambda o: o.name.lower())


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    agency = factory.SubFactory(AgencyFactory)
    role = Membership.Role.HANDLER


class IssueFactory(factory.django.DjangoModelFactory):
    """A bare issue row (no audit); tests of rules use the services instead."""

    class Meta:
        model = Issue

    code = factory.Sequence(lambda n: f"VD-T-{n:05d}")
    title = factory.Sequence(lambda n: f"Vấn đề thử {n}")
    received_on = factory.LazyFunction(timezone.localdate)
    visibility = Issue.Visibility.INTERNAL


class AssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assignment

    issue = factory.SubFactory(IssueFactory)
    agency = factory.SubFactory(AgencyFactory)
    agency_name = factory.LazyAttribute(lambda o: o.agency.name)
    role = Assignment.Role.LEAD
    deadline = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=10))


class SignalFactory(factory.django.DjangoModelFactory):
    """A bare signal row; tests of intake use `intake.services.signal_record` instead."""

    class Meta:
        model = Signal

    channel = Signal.Channel.FEEDBACK
    source = "thử nghiệm"
    raw_text = factory.Sequence(lambda n: f"Ý kiến thử {n}")
    text = factory.LazyAttribute(lambda o: o.raw_text)
    content_hash = factory.Sequence(lambda n: f"{n:064d}")


class ClaimFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Claim

    wording = factory.Sequence(lambda n: f"Thông tin sai thử {n}")
    summary = factory.LazyAttribute(lambda o: o.wording)
    first_seen_on = factory.LazyFunction(timezone.localdate)
    risk = Claim.Risk.MEDIUM
    competent_agency = factory.SubFactory(AgencyFactory)
    created_by = factory.SubFactory(UserFactory)


class RebuttalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Rebuttal

    claim = factory.SubFactory(ClaimFactory)
    title = factory.Sequence(lambda n: f"Phản bác thử {n}")
    text = "Nội dung phản bác."
    rating = Rebuttal.Rating.FALSE
    confirming_agency = factory.SubFactory(AgencyFactory)
    drafted_by = factory.SubFactory(UserFactory)
    drafted_at = factory.LazyFunction(timezone.now)


class ArticleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Article

    title = factory.Sequence(lambda n: f"Bài viết thử {n}")
    slug = factory.Sequence(lambda n: f"bai-viet-thu-{n}")
    body = "<p>Nội dung.</p>"
    source_agency = factory.SubFactory(AgencyFactory)
    source_name = factory.LazyAttribute(lambda o: o.source_agency.name)
    author = factory.SubFactory(UserFactory)


class TaskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Task

    plan = factory.LazyFunction(
        lambda: AnnualPlan.objects.create(
            programme=Programme.objects.create(
                title="Chương trình thử", signed_on=dt.date(2021, 9, 8)
            ),
            year=2026,
            title="Kế hoạch thử",
        )
    )
    code = factory.Sequence(lambda n: f"T-{n:04d}")
    title = factory.Sequence(lambda n: f"Nhiệm vụ thử {n}")
    lead_agency = factory.SubFactory(AgencyFactory)
    due_on = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=30))


class NetworkMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NetworkMember

    user = factory.SubFactory(UserFactory)
    kind = NetworkMember.Kind.REPORTER
    agency = factory.SubFactory(AgencyFactory)


class GuidanceRecipientFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GuidanceRecipient

    guidance = factory.LazyAttribute(
        lambda o: Guidance.objects.create(
            title="Định hướng thử",
            key_messages="Thông điệp.",
            valid_from=timezone.localdate(),
            sender_agency=o.member.agency,
            created_by=o.member.user,
        )
    )
    member = factory.SubFactory(NetworkMemberFactory)


class ExemplaryModelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ExemplaryModel

    name = factory.Sequence(lambda n: f"Điển hình thử {n}")
    kind = ExemplaryModel.Kind.COLLECTIVE
    achievements = "Thành tích."
    proposing_agency = factory.SubFactory(AgencyFactory)
    created_by = factory.SubFactory(UserFactory)


class CommendationProposalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CommendationProposal

    nominee = factory.Sequence(lambda n: f"Tập thể thử {n}")
    nominee_kind = CommendationProposal.NomineeKind.COLLECTIVE
    achievements = "Thành tích."
    form = "Bằng khen"
    year = 2026
    proposing_agency = factory.SubFactory(AgencyFactory)
    reviewing_agency = factory.LazyAttribute(lambda o: o.proposing_agency)
    approving_agency = factory.LazyAttribute(lambda o: o.proposing_agency)
    created_by = factory.SubFactory(UserFactory)


def member(agency: Agency, role: str, username: str | None = None) -> User:
    """A user holding `role` in `agency`."""
    user = UserFactory(username=username) if username else UserFactory()
    Membership.objects.create(user=user, agency=agency, role=role)
    return user
