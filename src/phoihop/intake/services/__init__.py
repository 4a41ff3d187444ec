"""Every write of intake, one module per topic; this package re-exports the public names.

- `signals`: storing a signal once (`signal_record`, the one way to record a signal),
  tracking codes, `queue_triage`, a citizen's contact details
- `imports`: a file checked row by row, then stored (`import_file`, `inspect_file`)
- `import_batches`: web imports run by a background task
- `feedback`, `attachments`: the public feedback form and its files
- `collaborators`: reports of the public-opinion collaborator network
- `api_items`: signals sent through the HTTP API
- `feeds`: news feeds
- `rounds`: voter-contact rounds and council sessions
"""

from phoihop.intake.services.api_items import API_FIELDS, Receipt, signals_receive
from phoihop.intake.services.attachments import (
    MAX_ATTACHMENTS,
    CheckedAttachment,
    attachments_store,
    check_attachments,
    max_attachment_bytes,
)
from phoihop.intake.services.collaborators import MOODS, collaborator_report
from phoihop.intake.services.feedback import feedback_submit
from phoihop.intake.services.feeds import feed_create, feed_poll, feed_set_active, feeds_poll
from phoihop.intake.services.import_batches import (
    import_batch_create,
    import_batch_inspect,
    import_batch_mark,
    import_batch_reject,
    import_batch_retry,
    import_batch_run,
    import_batch_set_mapping,
    import_batches_recover,
)
from phoihop.intake.services.imports import (
    CHANNELS,
    CHUNK,
    HEADER_SCAN_ROWS,
    MAX_LISTED_ERRORS,
    SPOOL_IN_MEMORY,
    ImportReport,
    Inspection,
    Progress,
    default_round_name,
    import_file,
    inspect_file,
)
from phoihop.intake.services.rounds import council_session_ensure, round_ensure
from phoihop.intake.services.signals import (
    TRACKING_ALPHABET,
    Received,
    new_tracking_code,
    queue_triage,
    signal_contact_for,
    signal_record,
)

__all__ = [
    "API_FIELDS",
    "CHANNELS",
    "CHUNK",
    "HEADER_SCAN_ROWS",
    "MAX_ATTACHMENTS",
    "MAX_LISTED_ERRORS",
    "MOODS",
    "SPOOL_IN_MEMORY",
    "TRACKING_ALPHABET",
    "CheckedAttachment",
    "ImportReport",
    "Inspection",
    "Progress",
    "Receipt",
    "Received",
    "attachments_store",
    "check_attachments",
    "collaborator_report",
    "council_session_ensure",
    "default_round_name",
    "feed_create",
    "feed_poll",
    "feed_set_active",
    "feedback_submit",
    "feeds_poll",
    "import_batch_create",
    "import_batch_inspect",
    "import_batch_mark",
    "import_batch_reject",
    "import_batch_retry",
    "import_batch_run",
    "import_batch_set_mapping",
    "import_batches_recover",
    "import_file",
    "inspect_file",
    "max_attachment_bytes",
    "new_tracking_code",
    "queue_triage",
    "round_ensure",
    "signal_contact_for",
    "signal_record",
    "signals_receive",
]
