"""The one permission registry: who may see and do what. Views, API, admin and templates ask
it; each app registers the rules for its own verbs from its `permissions.py` at start-up.

A verb is "app.verb" (``cases.issue_view``, ``portal.article_approve``). A rule is a plain
function ``(user, obj) -> bool``; the registry answers False for anonymous and inactive
users before any rule runs, and fails loudly on a verb nobody registered, so a typo is an
error and never a silent "no". core knows no app above it: this module holds the registry
and the role helpers every rule is built from, nothing about issues or articles.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, TypeVar

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.db.models import Q
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from phoihop.core import hooks
from phoihop.core.models import Agency, Membership, User

Role = Membership.Role
AnyUser = User | AnonymousUser
Rule = Callable[[Any, Any], bool]  # (user, obj) -> may they?
R = TypeVar("R", bound=Rule)
# What a refusal says: a fixed text, or one written from the thing refused (to name who may).
Message = str | Promise | Callable[[Any], str | Promise] | None


class UnknownVerb(LookupError):
    """A verb no app registered: a programming error, never a quiet refusal."""


@dataclass(frozen=True)
class Entry:
    verb: str
    rule: Rule
    message: Message
    # The kind of thing the verb acts on (Issue, Article …); None for verbs about no one thing.
    on: type[Any] | None


_registry: dict[str, Entry] = {}


def register(
    verb: str, rule: Rule, *, on: type[Any] | None = None, message: Message = None
) -> None:
    """Register the rule of one verb; a verb is registered once (by the app that owns it).
    `message` is what a refusal says: a text, or a function of the refused thing that
    writes it (to name who may)."""
    app, _dot, name = verb.partition(".")
    if not app or not name or "." in name:
        raise ImproperlyConfigured(f"A verb is 'app.verb', not {verb!r}.")
    existing = _registry.get(verb)
    if existing is not None and existing.rule is not rule:
        raise ImproperlyConfigured(f"The verb {verb!r} is already registered.")
    _registry[verb] = Entry(verb, rule, message, on)


def rule(*verbs: str, on: type[Any] | None = None, message: Message = None) -> Callable[[R], R]:
    """Decorator form of `register` for one rule shared by one or more verbs."""

    def decorate(function: R) -> R:
        for verb in verbs:
            register(verb, function, on=on, message=message)
        return function

    return decorate


def verbs() -> list[str]:
    """Every registered verb, sorted."""
    return sorted(_registry)


def entry(verb: str) -> Entry:
    try:
        return _registry[verb]
    except KeyError:
        raise UnknownVerb(
            f"No app registered the permission verb {verb!r} (known: {', '.join(verbs())})."
        ) from None


def can(user: AnyUser, verb: str, obj: Any = None) -> bool:
    """Whether `user` may do `verb` (on `obj`, where the verb is about one thing)."""
    found = entry(verb)
    if not user.is_authenticated or not user.is_active:
        return False
    return bool(found.rule(user, obj))


def require(user: AnyUser, verb: str, obj: Any = None) -> None:
    """Raise PermissionDenied (with a Vietnamese message) unless `user` may do `verb`."""
    if not can(user, verb, obj):
        message = _registry[verb].message
        if callable(message):
            message = message(obj)
        raise PermissionDenied(str(message or _("Bạn không có quyền thực hiện thao tác này.")))


# --- the roles every rule is built from ------------------------------------------------------


def _roles(user: AnyUser) -> list[tuple[int, str]]:
    """(agency id, role) of the user's active memberships, cached on the user object."""
    if not user.is_authenticated or not user.is_active:
        return []
    cached: list[tuple[int, str]] | None = user.__dict__.get("_phoihop_roles")
    if cached is None:
        cached = list(
            Membership.objects.filter(
                user=user, is_active=True, agency__is_active=True
            ).values_list("agency_id", "role")
        )
        user.__dict__["_phoihop_roles"] = cached
    return cached


def forget(user: AnyUser) -> None:
    """Drop the cached roles (after memberships change)."""
    user.__dict__.pop("_phoihop_roles", None)
    user.__dict__.pop("_phoihop_supervised", None)


def has_role(user: AnyUser, *roles: str) -> bool:
    return any(role in roles for _agency, role in _roles(user))


def is_coordinator(user: AnyUser) -> bool:
    return has_role(user, Role.COORDINATOR)


def is_administrator(user: AnyUser) -> bool:
    return bool(user.is_authenticated and (user.is_superuser or has_role(user, Role.ADMINISTRATOR)))


def agency_ids(user: AnyUser, *roles: str) -> set[int]:
    """Agencies where the user holds one of `roles` (any role when none are given)."""
    return {agency for agency, role in _roles(user) if not roles or role in roles}


def supervised_agency_ids(user: AnyUser) -> set[int]:
    """The agencies under those the user leads, at any depth (UBND tỉnh → its departments and
    communes; the provincial Party Committee → its departments): a leader follows their work,
    read-only. Cached on the user object, like the roles."""
    led = agency_ids(user, Role.LEADER)
    if not led:
        return set()
    cached: set[int] | None = user.__dict__.get("_phoihop_supervised")
    if cached is None:
        children: dict[int, list[int]] = {}
        rows = Agency.objects.filter(parent__isnull=False).values_list("pk", "parent_id")
        for pk, parent in rows:
            children.setdefault(int(parent), []).append(pk)
        cached, todo = set(), list(led)
        while todo:
            for child in children.get(todo.pop(), []):
                if child not in cached and child not in led:
                    cached.add(child)
                    todo.append(child)
        user.__dict__["_phoihop_supervised"] = cached
    return cached


def sees_everything_open(user: AnyUser) -> bool:
    return is_coordinator(user) or is_administrator(user)


def visible_audit_events_filter(user: AnyUser) -> Q:
    """A filter over AuditEvent that keeps what `user` may read: each app above core hides
    the events of things the user may not see (cases: confidential issues, their before and
    after hold the issue's contents), superusers included."""
    kept = Q()
    for hook in hooks.audit_events_visible:
        kept &= hook(user)
    return kept


# --- core's own verbs --------------------------------------------------------------------------


def _workspace_use(user: AnyUser, obj: Any) -> bool:
    return bool(_roles(user)) or user.is_superuser


def _agency_manage(user: AnyUser, obj: Any) -> bool:
    return is_administrator(user)


def _audit_view(user: AnyUser, obj: Any) -> bool:
    return is_administrator(user) or is_coordinator(user)


register("core.workspace_use", _workspace_use)
register("core.agency_manage", _agency_manage)
register("core.audit_view", _audit_view)


def registered() -> Iterator[Entry]:
    """The registry's entries in verb order (for the permission matrix test and docs)."""
    for verb in verbs():
        yield _registry[verb]
