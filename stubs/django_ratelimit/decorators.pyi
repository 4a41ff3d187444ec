from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from django.http import HttpRequest

_F = TypeVar("_F", bound=Callable[..., Any])

def ratelimit(
    group: str | Callable[[HttpRequest], str] | None = ...,
    key: str | Callable[[str, HttpRequest], str] | None = ...,
    rate: str | Callable[[str, HttpRequest], str | None] | None = ...,
    method: str | Sequence[str | None] | None = ...,
    block: bool = ...,
) -> Callable[[_F], _F]: ...
