"""The one search: accent-free, every word required, bounded, ranked."""

from __future__ import annotations

import pytest
from django.utils import timezone
from tests.factories import IssueFactory

from phoihop.cases import selectors as cases_selectors
from phoihop.cases.models import Issue
from phoihop.core import search
from phoihop.triage.normalize import SEARCH_MAX_WORDS, fold

pytestmark = pytest.mark.django_db


def _issue(title: str, description: str = "") -> Issue:
    issue: Issue = IssueFactory(title=title, search_text=fold(f"{title} {description}"))
    return issue


def test_every_word_must_appear_in_any_order_with_or_without_diacritics() -> None:
    road = _issue("Giải phóng mặt bằng đường tránh", "Dân chưa nhận tiền đền bù")
    _issue("Nước sinh hoạt bị đục")
    found = search.matching(Issue.objects.all(), search.terms("đền bù giai phong"))
    assert list(found) == [road]
    assert not search.matching(Issue.objects.all(), search.terms("giai phong bệnh viện")).exists()


def test_a_code_matches_case_insensitively_when_asked() -> None:
    issue = _issue("Ô nhiễm")
    words = search.terms(issue.code.lower())
    assert not search.matching(Issue.objects.all(), words).exists()
    assert list(search.matching(Issue.objects.all(), words, code_fields=("code",))) == [issue]


def test_queries_are_bounded_in_words_and_letters_are_skipped_on_request() -> None:
    many = " ".join(f"tu{n}" for n in range(50))
    assert len(search.terms(many)) == SEARCH_MAX_WORDS
    assert search.terms("a b 2 duong") == ["a", "b", "2", "duong"]
    assert search.terms("a b 2 duong", skip_letters=True) == ["2", "duong"]
    assert search.terms("x" * 10_000) == ["x" * 200]  # cut at SEARCH_MAX_CHARS


def test_the_whole_phrase_ranks_before_scattered_words() -> None:
    scattered = _issue("Phản ánh của cử tri", "về mặt bằng, giải phóng sau")
    phrase = _issue("Giải phóng mặt bằng", "phản ánh")
    words = search.terms("giải phóng mặt bằng")
    rows = (
        search.matching(Issue.objects.all(), words)
        .annotate(score=search.score(words, title_field="search_text"))
        .order_by("-score")
    )
    assert list(rows) == [phrase, scattered]


def test_publicly_answered_is_one_rule_for_a_query_and_for_one_issue() -> None:
    now = timezone.now()
    public = _issue("Đã trả lời công khai")
    Issue.objects.filter(pk=public.pk).update(
        visibility=Issue.Visibility.PUBLIC,
        state=Issue.State.PUBLISHED,
        published_at=now,
        answer="Trả lời",
    )
    internal = _issue("Trả lời nội bộ")
    Issue.objects.filter(pk=internal.pk).update(
        state=Issue.State.PUBLISHED, published_at=now, answer="Trả lời"
    )
    empty = _issue("Chưa có nội dung trả lời")
    Issue.objects.filter(pk=empty.pk).update(
        visibility=Issue.Visibility.PUBLIC, state=Issue.State.CLOSED, published_at=now
    )
    assert list(cases_selectors.publicly_answered_issues()) == [public]
    for issue in Issue.objects.all():
        assert cases_selectors.is_publicly_answered(issue) == (issue.pk == public.pk)
