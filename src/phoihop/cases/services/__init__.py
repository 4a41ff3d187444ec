"""Every change to issues and assignments: one function per verb, atomic and audited; one
module per topic, and this package re-exports the public names.

- `issues`: the life of an issue (`issue_create`, `issue_register`, `issue_classify`,
  `issue_edit`, `issue_answer`, `issue_publish`, `issue_close`)
- `assignments`: the work given to agencies (`issue_assign`, `assignment_accept`,
  `assignment_return`, `assignment_respond`, `assignments_move_to_successor`)
- `overdue`: the daily watch over deadlines (`escalate_overdue`, `announce_due_soon`)
- `merging`: `issue_merge`, `issue_split`
- `clearance`: who may see a confidential issue (`issue_grant_clearance`)
- `feedback`: a citizen's verdict on the answer (`issue_feedback_record`), which may reopen it
- `_common`: what they share (state names, the audit scope, `_move`, `_grant`)
"""

from phoihop.cases.deadlines import DUE_SOON_WORKING_DAYS
from phoihop.cases.services._common import S
from phoihop.cases.services.assignments import (
    assignment_accept,
    assignment_respond,
    assignment_return,
    assignments_move_to_successor,
    issue_assign,
)
from phoihop.cases.services.clearance import issue_grant_clearance
from phoihop.cases.services.feedback import FEEDBACK_STATES, issue_feedback_record
from phoihop.cases.services.issues import (
    ISSUE_FIELDS,
    issue_answer,
    issue_classify,
    issue_close,
    issue_create,
    issue_edit,
    issue_publish,
    issue_register,
)
from phoihop.cases.services.merging import issue_merge, issue_split
from phoihop.cases.services.overdue import announce_due_soon, escalate_overdue

__all__ = [
    "DUE_SOON_WORKING_DAYS",
    "FEEDBACK_STATES",
    "ISSUE_FIELDS",
    "S",
    "announce_due_soon",
    "assignment_accept",
    "assignment_respond",
    "assignment_return",
    "assignments_move_to_successor",
    "escalate_overdue",
    "issue_answer",
    "issue_assign",
    "issue_classify",
    "issue_close",
    "issue_create",
    "issue_edit",
    "issue_feedback_record",
    "issue_grant_clearance",
    "issue_merge",
    "issue_publish",
    "issue_register",
    "issue_split",
]
