"""Who may see a confidential issue, named one by one."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from phoihop.cases.models import Issue
from phoihop.cases.services._common import _grant
from phoihop.core import policy
from phoihop.core.models import User


@transaction.atomic
def issue_grant_clearance(*, issue: Issue, by: User, user: User) -> None:
    """Name one more person who may see a confidential issue."""
    policy.require(by, "cases.issue_grant_clearance", issue)
    if issue.visibility != Issue.Visibility.CONFIDENTIAL:
        raise ValidationError(_("Chỉ cần cấp quyền xem cho vấn đề mật."))
    _grant(issue=issue, by=by, user=user)
