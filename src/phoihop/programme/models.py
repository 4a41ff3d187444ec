"""The programme's models, one module per capability; Django finds them all here.

- `plan_models`: the programme, content areas, annual plans, tasks, progress reports and
  requests for them
- `meeting_models`: coordination meetings, decisions, meeting files
- `project_models`: key projects and their linked opinion
- `network_models`: the reporter network, resolutions, guidance, field reports, briefings
- `commendation_models`: exemplary models and commendation proposals
"""

from phoihop.programme.commendation_models import CommendationProposal, ExemplaryModel
from phoihop.programme.meeting_models import Decision, Meeting, MeetingAttachment
from phoihop.programme.network_models import (
    Attendance,
    Briefing,
    FieldReport,
    Guidance,
    GuidanceRecipient,
    NetworkMember,
    Resolution,
)
from phoihop.programme.plan_models import (
    AnnualPlan,
    ContentArea,
    Programme,
    ProgressReport,
    ProgressRequest,
    Task,
)
from phoihop.programme.project_models import KeyProject, ProjectLink

__all__ = [
    "AnnualPlan",
    "Attendance",
    "Briefing",
    "CommendationProposal",
    "ContentArea",
    "Decision",
    "ExemplaryModel",
    "FieldReport",
    "Guidance",
    "GuidanceRecipient",
    "KeyProject",
    "Meeting",
    "MeetingAttachment",
    "NetworkMember",
    "Programme",
    "ProgressReport",
    "ProgressRequest",
    "ProjectLink",
    "Resolution",
    "Task",
]
