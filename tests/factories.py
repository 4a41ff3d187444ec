"""Factories for test data (factory_boy): each test builds what it needs."""

from __future__ import annotations

import datetime as dt

import factory
from django.utils import timezone

from phoihop.cases.models import Assignment, Issue
from phoihop.core.models import AdministrativeUnit, Agency, Field, Membership, User


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


def member(agency: Agency, role: str, username: str | None = None) -> User:
    """A user holding `role` in `agency`."""
    user = UserFactory(username=username) if username else UserFactory()
    Membership.objects.create(user=user, agency=agency, role=role)
    return user
