"""Read-side questions about the programme, one module per capability; re-exported here.

- `plan_selectors`: the agency × task matrix, lateness, an agency's tasks, who has
  answered a progress request
- `network_selectors`: guidance acknowledgements and lists, the network
- `project_selectors`: public opinion around key projects
- `commendation_selectors`: commendation numbers and lists
"""

from phoihop.programme.commendation_selectors import commendation_counts, commendations_for
from phoihop.programme.network_selectors import (
    Acknowledgements,
    acknowledgements,
    guidance_for_recipient,
    guidance_list,
    network,
    recipient_of,
)
from phoihop.programme.plan_selectors import (
    Cell,
    Matrix,
    RequestStatus,
    Row,
    current_programme,
    days_late,
    is_overdue,
    latest_reports,
    request_statuses,
    task_matrix,
    tasks_for_agency,
    tasks_of,
)
from phoihop.programme.project_selectors import ProjectOpinion, project_opinion

__all__ = [
    "Acknowledgements",
    "Cell",
    "Matrix",
    "ProjectOpinion",
    "RequestStatus",
    "Row",
    "acknowledgements",
    "commendation_counts",
    "commendations_for",
    "current_programme",
    "days_late",
    "guidance_for_recipient",
    "guidance_list",
    "is_overdue",
    "latest_reports",
    "network",
    "project_opinion",
    "recipient_of",
    "request_statuses",
    "task_matrix",
    "tasks_for_agency",
    "tasks_of",
]
