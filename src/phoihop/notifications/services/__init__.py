"""Every write of notifications, one module per capability; this package re-exports the
public names.

- `bell`: the staff bell, one notification per person for each event of the cases hooks
  and of the programme's, factcheck's and the portal's (`notify`, the `on_…` subscribers),
  `mark_read`
- `outbox`: the `Delivery` outbox and its sending (`queue`, `deliver_due`: claims, the rate
  limit, retries with a growing delay; `delivery_retry` by an administrator)
- `digest`: the staff's daily digest e-mail and its opt-in (`preference_set`)
- `citizens`: the citizen's acknowledgement and the published answer, and where to reach them
- `resolution`: closing the loop, the signed «đã được giải quyết chưa?» link and its click
- `zalo_webhook`: a message to the Zalo OA becomes a feedback signal
"""

from phoihop.notifications.services.bell import (
    mark_read,
    notify,
    on_answer_awaiting_approval,
    on_article_published,
    on_article_sent_back,
    on_article_submitted,
    on_article_withdrawn,
    on_assignment_created,
    on_assignment_due_soon,
    on_assignment_overdue,
    on_assignment_returned,
    on_extension_decided,
    on_extension_requested,
    on_issue_answered,
    on_issue_published,
    on_issue_reopened,
    on_progress_requested,
    on_project_mentioned,
    on_rebuttal_awaiting_confirmation,
)
from phoihop.notifications.services.citizens import (
    PHONE,
    acknowledge_signals,
    announce_answer,
    citizen_address,
    lookup_url,
)
from phoihop.notifications.services.digest import digests_send, preference_set
from phoihop.notifications.services.outbox import (
    DELIVER_TASK,
    SENT_GROUP,
    Drained,
    Outgoing,
    deliver_due,
    delivery_retry,
    kick,
    lease,
    next_due,
    queue,
)
from phoihop.notifications.services.resolution import (
    FEEDBACK_SALT,
    FeedbackAsk,
    feedback_for_code,
    feedback_give,
    feedback_read,
    feedback_token,
    feedback_url,
)
from phoihop.notifications.services.zalo_webhook import WebhookRefused, zalo_inbound

__all__ = [
    "DELIVER_TASK",
    "FEEDBACK_SALT",
    "PHONE",
    "SENT_GROUP",
    "Drained",
    "FeedbackAsk",
    "Outgoing",
    "WebhookRefused",
    "acknowledge_signals",
    "announce_answer",
    "citizen_address",
    "deliver_due",
    "delivery_retry",
    "digests_send",
    "feedback_for_code",
    "feedback_give",
    "feedback_read",
    "feedback_token",
    "feedback_url",
    "kick",
    "lease",
    "lookup_url",
    "mark_read",
    "next_due",
    "notify",
    "on_answer_awaiting_approval",
    "on_article_published",
    "on_article_sent_back",
    "on_article_submitted",
    "on_article_withdrawn",
    "on_assignment_created",
    "on_assignment_due_soon",
    "on_assignment_overdue",
    "on_assignment_returned",
    "on_extension_decided",
    "on_extension_requested",
    "on_issue_answered",
    "on_issue_published",
    "on_issue_reopened",
    "on_progress_requested",
    "on_project_mentioned",
    "on_rebuttal_awaiting_confirmation",
    "preference_set",
    "queue",
    "zalo_inbound",
]
