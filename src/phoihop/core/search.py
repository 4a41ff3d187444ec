"""The one search of phoihop: accent-free (over folded columns such as `search_text`), every
word of the query required, ranked where a page wants it (`score`). The bounds on a query
(characters, words) are those of `phoihop.triage.normalize`: each word is one SQL condition."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar

from django.db import models
from django.db.models import Case, IntegerField, Q, QuerySet, Value, When

from phoihop.triage.normalize import SEARCH_MAX_WORDS, search_terms

M = TypeVar("M", bound=models.Model)


def terms(
    query: str, *, max_words: int = SEARCH_MAX_WORDS, skip_letters: bool = False
) -> list[str]:
    """The folded, distinct words of `query`, at most `max_words`. With `skip_letters`, words
    of one letter (not digits) are dropped, looking at twice as many words to find them."""
    if not skip_letters:
        return search_terms(query, max_words=max_words)
    scanned = search_terms(query, max_words=2 * max_words)
    return [t for t in scanned if len(t) > 1 or t.isdigit()][:max_words]


def matching(
    queryset: QuerySet[M],
    words: Sequence[str],
    *,
    fields: Sequence[str] = ("search_text",),
    code_fields: Sequence[str] = (),
) -> QuerySet[M]:
    """Rows where every word appears in one of the folded `fields` (or, case-insensitively,
    in one of the `code_fields`, such as an issue's code)."""
    for word in words:
        condition = Q()
        for name in fields:
            condition |= Q(**{f"{name}__contains": word})
        for name in code_fields:
            condition |= Q(**{f"{name}__icontains": word})
        queryset = queryset.filter(condition)
    return queryset


def score(words: Sequence[str], *, title_field: str, text_field: str = "search_text") -> Any:
    """A rank for rows that already match (annotate it): the whole query in the title 20, in
    the text 8, each word in the title 3."""

    def points(field: str, needle: str, value: int) -> Case:
        return Case(
            When(**{f"{field}__contains": needle}, then=Value(value)),
            default=Value(0),
            output_field=IntegerField(),
        )

    phrase = " ".join(words)
    total: Any = points(title_field, phrase, 20) + points(text_field, phrase, 8)
    for word in words:
        total = total + points(title_field, word, 3)
    return total
