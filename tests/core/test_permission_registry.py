"""The one permission registry: every registered verb × every kind of person × their
relation to the thing's agency gives an answer (no verb left without a rule, no exception),
unknown verbs fail loudly, and spot checks of the rules that matter most."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from tests.factories import (
    AgencyFactory,
    ArticleFactory,
    AssignmentFactory,
    ClaimFactory,
    CommendationProposalFactory,
    ExemplaryModelFactory,
    GuidanceRecipientFactory,
    IssueFactory,
    RebuttalFactory,
    SignalFactory,
    TaskFactory,
    UserFactory,
    member,
)

from phoihop.cases.models import Assignment, Issue
from phoihop.core import policy
from phoihop.core.models import Agency, Membership
from phoihop.factcheck.models import Claim, Rebuttal
from phoihop.intake.models import Signal
from phoihop.portal.models import Article
from phoihop.programme.models import (
    CommendationProposal,
    ExemplaryModel,
    Guidance,
    GuidanceRecipient,
    Task,
)
from phoihop.reports.models import ReportDocument

R = Membership.Role


def _objects(own: Agency) -> dict[type[Any], Any]:
    """One thing of each kind a verb acts on, all belonging to the `own` agency."""
    issue = IssueFactory()
    lead = AssignmentFactory(issue=issue, agency=own)
    claim = ClaimFactory(competent_agency=own)
    recipient = GuidanceRecipientFactory(member__agency=own)
    return {
        Agency: own,
        Issue: issue,
        Assignment: lead,
        Signal: SignalFactory(issue=issue),
        Claim: claim,
        Rebuttal: RebuttalFactory(claim=claim, confirming_agency=own),
        Article: ArticleFactory(source_agency=own),
        Task: TaskFactory(lead_agency=own),
        GuidanceRecipient: recipient,
        Guidance: recipient.guidance,
        CommendationProposal: CommendationProposalFactory(proposing_agency=own),
        ExemplaryModel: ExemplaryModelFactory(proposing_agency=own),
        # a kind of report document the own agency (the propaganda department) issues
        ReportDocument.Kind: ReportDocument.Kind.SITUATION,
    }


def _people(own: Agency, other: Agency) -> dict[str, Any]:
    """Every role in the thing's own agency and in another agency, and the edge cases."""
    people: dict[str, Any] = {}
    for role in R.values:
        people[f"{role}/own"] = member(own, role)
        people[f"{role}/other"] = member(other, role)
    people["no-membership"] = UserFactory()
    people["superuser"] = UserFactory(is_superuser=True, is_staff=True)
    people["anonymous"] = AnonymousUser()
    inactive = member(own, R.COORDINATOR)
    inactive.is_active = False
    inactive.save()
    people["inactive"] = inactive
    return people


@pytest.fixture
def matrix(db: None) -> dict[tuple[str, str], bool]:
    # The propaganda department (by its code) is the "own" agency, so its rules are walked too.
    own = AgencyFactory(code="btgdv", name="Ban Tuyên giáo và Dân vận", kind=Agency.Kind.PARTY)
    other = AgencyFactory(code="so-xd", name="Sở Xây dựng")
    objects = _objects(own)
    people = _people(own, other)
    result = {}
    for entry in policy.registered():
        obj = None if entry.on is None else objects[entry.on]
        for name, person in people.items():
            result[(entry.verb, name)] = policy.can(person, entry.verb, obj)
    return result


def test_every_verb_is_answered_for_every_person_and_agency_relation(
    matrix: dict[tuple[str, str], bool],
) -> None:
    verbs = policy.verbs()
    people = {name for _verb, name in matrix}
    assert len(people) == 2 * len(R.values) + 4
    assert len(matrix) == len(verbs) * len(people)
    assert all(isinstance(answer, bool) for answer in matrix.values())
    # Every app registered its verbs at start-up, each "app.verb".
    assert {verb.split(".")[0] for verb in verbs} == {
        "core",
        "cases",
        "intake",
        "triaging",
        "programme",
        "factcheck",
        "portal",
        "reports",
    }


def test_anonymous_inactive_and_people_without_a_role_may_do_nothing(
    matrix: dict[tuple[str, str], bool],
) -> None:
    for verb in policy.verbs():
        assert not matrix[(verb, "anonymous")], verb
        assert not matrix[(verb, "inactive")], verb
        assert not matrix[(verb, "no-membership")], verb


def test_viewers_only_look(matrix: dict[tuple[str, str], bool]) -> None:
    allowed = {verb for verb in policy.verbs() if matrix[(verb, "viewer/own")]}
    assert allowed == {
        "cases.issue_view",
        "core.workspace_use",
        "factcheck.claim_view",
        "intake.signal_list",
        "programme.view",
        "reports.dashboard_agency",
        "reports.report_read",  # issued report documents
    }


@pytest.mark.parametrize(
    ("verb", "allowed"),
    [
        # the lead agency's leader approves the answer; no one else, not even a coordinator
        ("cases.issue_answer", {"leader/own"}),
        ("cases.assignment_accept", {"handler/own", "leader/own"}),
        ("cases.issue_assign", {"coordinator/own", "coordinator/other"}),
        ("core.agency_manage", {"administrator/own", "administrator/other", "superuser"}),
        ("factcheck.rebuttal_confirm", {"leader/own"}),
        ("factcheck.rebuttal_publish", {"coordinator/own"}),  # the propaganda department's
        (
            "intake.signal_contact_view",
            {"handler/own", "leader/own", "coordinator/own", "coordinator/other"},
        ),
        # the body that runs the portal (the propaganda department, "own" here) approves,
        # by its coordinators and leaders; another body's coordinator, administrators and
        # the superuser do not (and nobody approves their own article: the author is
        # nobody here)
        ("portal.article_approve", {"coordinator/own", "leader/own"}),
        ("portal.article_withdraw", {"coordinator/own", "leader/own"}),
        ("portal.article_view_draft", {"coordinator/own", "leader/own"}),
        ("portal.rebuttal_publish", {"coordinator/own", "leader/own"}),
        ("programme.commendation_decide", {"leader/own"}),
        # only the proposing agency's staff correct or withdraw its proposal
        ("programme.commendation_edit", {"handler/own", "leader/own", "coordinator/own"}),
        # the proposing agency's staff, or any coordinator, correct or cancel its model
        (
            "programme.exemplary_edit",
            {"handler/own", "leader/own", "coordinator/own", "coordinator/other"},
        ),
        (
            "programme.task_report",
            {"handler/own", "leader/own", "coordinator/own", "coordinator/other"},
        ),
        (
            "reports.dashboard_province",
            {
                "coordinator/own",
                "coordinator/other",
                "leader/own",
                "leader/other",
                "administrator/own",
                "administrator/other",
                "superuser",
            },
        ),
        ("triaging.proposal_decide", {"coordinator/own", "coordinator/other"}),
        # only the issuing body's coordinators write under its letterhead and number register
        ("reports.report_draft", {"coordinator/own"}),
        ("reports.report_issue", {"coordinator/own"}),
        (
            "reports.report_read",
            {
                "coordinator/own",
                "coordinator/other",
                "leader/own",
                "leader/other",
                "viewer/own",
                "viewer/other",
                "administrator/own",
                "administrator/other",
                "superuser",
            },
        ),
    ],
)
def test_spot_checks(matrix: dict[tuple[str, str], bool], verb: str, allowed: set[str]) -> None:
    assert {name for (v, name), answer in matrix.items() if v == verb and answer} == allowed


def test_an_unknown_verb_fails_loudly_for_everyone(db: None) -> None:
    for person in (AnonymousUser(), UserFactory(is_superuser=True)):
        with pytest.raises(policy.UnknownVerb, match=r"cases\.issue_veiw"):
            policy.can(person, "cases.issue_veiw")
        with pytest.raises(policy.UnknownVerb):
            policy.require(person, "issue.view")  # the old spelling is gone


def test_require_refuses_in_vietnamese(db: None) -> None:
    own = AgencyFactory(code="so-xd", name="Sở Xây dựng")
    with pytest.raises(PermissionDenied, match="Bạn không có quyền"):
        policy.require(member(own, R.HANDLER), "core.agency_manage")
    proposal = CommendationProposalFactory()
    with pytest.raises(PermissionDenied, match="lãnh đạo cơ quan phê duyệt"):
        policy.require(member(own, R.LEADER), "programme.commendation_decide", proposal)


def test_a_verb_is_registered_once_and_spelled_app_dot_verb() -> None:
    rule: Callable[[Any, Any], bool] = lambda user, obj: True  # noqa: E731
    with pytest.raises(Exception, match="already registered"):
        policy.register("cases.issue_view", rule)
    with pytest.raises(Exception, match=r"app\.verb"):
        policy.register("issue_view", rule)
    assert "cases.issue_view" in policy.verbs()


def test_templates_ask_the_registry(db: None) -> None:
    from django.template import Context, Template

    coordinator = member(AgencyFactory(), R.COORDINATOR)
    template = Template(
        '{% load policy %}{% if user|can:"cases.issue_create" %}tạo{% endif %}'
        '{% can_on user "reports.dashboard_agency" agency as board %}{% if board %}+bảng{% endif %}'
    )
    agency = AgencyFactory()
    assert template.render(Context({"user": coordinator, "agency": agency})) == "tạo+bảng"
    assert template.render(Context({"user": AnonymousUser(), "agency": agency})) == ""
