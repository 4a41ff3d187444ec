"""The hand-over of a published rebuttal to the public portal.

The portal app owns its articles; this module is the one place the factcheck app calls it,
so wiring the two together touches nothing else. Until the portal is wired, nothing is
posted and the rebuttal keeps an empty `portal_url`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from phoihop.factcheck.models import Rebuttal


def publish_to_portal(rebuttal: Rebuttal) -> str | None:
    """Create (or update) the portal's rebuttal article carrying `rebuttal.claim_review()`;
    return its public URL, or None when nothing was published. Called inside the publishing
    transaction, so an error here leaves the rebuttal unpublished."""
    return None
