"""Every change to the programme, one module per capability; this module re-exports them.

- `plan_services`: the programme, annual plans, tasks, progress (one by one or imported)
- `meeting_services`: coordination meetings, their decisions, minutes and files
- `project_services`: key projects and the opinion linked to them
- `network_services`: the reporter network, its briefings and what members report back
- `guidance_services`: orientation guidance, co-signed, issued, acknowledged
- `exemplary_services`, `commendation_services`: exemplary models and commendations
- `request_services`: asking agencies for periodic progress on an annual plan
- `editing`: editing and cancelling any of these records
"""

from phoihop.programme.commendation_services import (
    commendation_approve,
    commendation_create,
    commendation_reject,
    commendation_review,
    commendation_submit,
)
from phoihop.programme.exemplary_services import exemplary_create
from phoihop.programme.guidance_services import (
    guidance_acknowledge,
    guidance_cosign,
    guidance_create,
    guidance_issue,
)
from phoihop.programme.meeting_services import decision_add, decision_to_task, meeting_create
from phoihop.programme.network_services import (
    field_report_send,
    network_member_add,
    signal_from_network,
)
from phoihop.programme.plan_services import (
    TASK_FIELDS,
    ImportResult,
    plan_create,
    programme_create,
    progress_import,
    progress_report,
    task_cancel,
    task_create,
)
from phoihop.programme.project_services import (
    project_create,
    project_link_mentions,
    projects_link_mentions,
)
from phoihop.programme.request_services import period_label, progress_request

__all__ = [
    "TASK_FIELDS",
    "ImportResult",
    "commendation_approve",
    "commendation_create",
    "commendation_reject",
    "commendation_review",
    "commendation_submit",
    "decision_add",
    "decision_to_task",
    "exemplary_create",
    "field_report_send",
    "guidance_acknowledge",
    "guidance_cosign",
    "guidance_create",
    "guidance_issue",
    "meeting_create",
    "network_member_add",
    "period_label",
    "plan_create",
    "programme_create",
    "progress_import",
    "progress_report",
    "progress_request",
    "project_create",
    "project_link_mentions",
    "projects_link_mentions",
    "signal_from_network",
    "task_cancel",
    "task_create",
]
