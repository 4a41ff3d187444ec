"""Issue and revoke API tokens."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.db import transaction
from django.utils import timezone

from phoihop.api.models import ApiToken
from phoihop.core import audit
from phoihop.core.models import User


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


@transaction.atomic
def token_create(*, user: User, name: str, by: User | None = None) -> tuple[ApiToken, str]:
    """A new token for `user`; the plain key is returned once and never stored."""
    key = "ph_" + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(user=user, name=name, prefix=key[:10], key_hash=hash_key(key))
    audit.record(actor=by, action="api_token.create", target=token, user=user.username)
    return token, key


@transaction.atomic
def token_revoke(*, token: ApiToken, by: User | None) -> None:
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit.record(actor=by, action="api_token.revoke", target=token)


LAST_USED_PRECISION = dt.timedelta(minutes=1)


def user_for_key(key: str) -> User | None:
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=hash_key(key), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    # "last used" to the minute: a busy integration does not write on every request
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_PRECISION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
