"""Helpers shared by the programme's staff pages."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest

from phoihop.core import policy
from phoihop.core.models import User
from phoihop.core.web import attach_errors


def staff_user(request: HttpRequest) -> User:
    """The signed-in user, who must be allowed to see the programme."""
    user = request.user
    assert isinstance(user, User)
    policy.require(user, "programme.view")
    return user


def submit(
    request: HttpRequest, form: forms.Form, run: Callable[[dict[str, Any]], Any], done: str
) -> Any | None:
    """Validate `form`, run the service; on success flash `done` and return its result."""
    if not form.is_valid():
        return None
    try:
        result = run(form.cleaned_data)
    except ValidationError as error:
        attach_errors(form, error)
        return None
    messages.success(request, done)
    return result if result is not None else True
