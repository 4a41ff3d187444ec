"""Read-side questions of the portal: what the public may read, and search over it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape, linebreaks

from phoihop.cases import public
from phoihop.cases import selectors as cases_selectors
from phoihop.cases.models import Assignment, Issue
from phoihop.core import search as search_helper
from phoihop.core.models import User
from phoihop.portal import issues as public_issues
from phoihop.portal import permissions
from phoihop.portal.models import Article
from phoihop.portal.sanitize import html_to_text
from phoihop.triage.normalize import fold


def published_articles(*, category: str | None = None) -> QuerySet[Article]:
    articles = Article.objects.filter(state=Article.State.PUBLISHED).select_related("source_agency")
    if category:
        articles = articles.filter(category=category)
    return articles.order_by("-published_at", "-id")


def published_article(*, slug: str) -> Article | None:
    return (
        published_articles()
        .select_related("issue")
        .prefetch_related("attachments")
        .filter(slug=slug)
        .first()
    )


def public_answers() -> QuerySet[Issue]:
    """Public issues whose official answer has been published on the portal."""
    return (
        cases_selectors.publicly_answered_issues()
        .select_related("field", "place")
        .order_by("-published_at", "-id")
    )


def public_answer(*, pk: int) -> Issue | None:
    return public_answers().filter(pk=pk).first()


def answering_agency(*, issue: Issue) -> str:
    """The name (at the time) of the agency that led the answer."""
    lead = (
        issue.assignments.filter(role=Assignment.Role.LEAD)
        .exclude(state__in=[Assignment.State.RETURNED, Assignment.State.CANCELLED])
        .order_by("-assigned_at")
        .values_list("agency_name", flat=True)
        .first()
    )
    return lead or ""


def articles_for_staff(*, user: User) -> QuerySet[Article]:
    """Articles a staff member manages: all for the portal's editors, their own otherwise."""
    articles = Article.objects.select_related("source_agency", "author", "approved_by")
    if permissions.is_editor(user):
        return articles.order_by("-updated_at")
    return articles.filter(author=user).order_by("-updated_at")


RATING_VALUES = {"false": 1, "mostly_false": 2, "misleading": 3}


def claim_review(*, article: Article, url: str, site_url: str) -> dict[str, Any]:
    """The schema.org ClaimReview of a rebuttal: the registry's frozen review when it came
    from the false-claim registry, completed with the portal's URL and rating scale; where
    the claim appeared is a CreativeWork (never a bare string, never an empty list) and the
    review's body is one line of text."""
    source = " ".join(article.claim_source.split())
    item: dict[str, Any] = {"@type": "Claim"}
    if source:
        item["firstAppearance"] = _creative_work(source)
        if source.startswith(("http://", "https://")):
            item["appearance"] = [_creative_work(source)]
    published = timezone.localtime(article.published_at).date() if article.published_at else None
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": url,
        "datePublished": published.isoformat() if published else None,
        "headline": article.title,
        "inLanguage": "vi",
        "claimReviewed": article.claim,
        "itemReviewed": item,
        "author": {"@type": "Organization", "name": article.source_name, "url": site_url},
        "reviewRating": {
            "@type": "Rating",
            "ratingValue": RATING_VALUES.get(article.claim_rating, 1),
            "bestRating": 5,
            "worstRating": 1,
            "alternateName": article.get_claim_rating_display(),
        },
    }
    frozen = dict(article.claim_review or {})
    if frozen:
        for key in ("itemReviewed", "author", "reviewRating"):
            if isinstance(frozen.get(key), dict):
                frozen[key] = {**data[key], **{k: v for k, v in frozen[key].items() if v}}
        data.update({k: v for k, v in frozen.items() if v})
        data["url"] = url
    _appearances_as_works(data["itemReviewed"])
    body = data.get("reviewBody")
    data["reviewBody"] = _one_line(body if isinstance(body, str) else "") or _review_excerpt(
        article
    )
    return data


def _creative_work(where: str) -> dict[str, str]:
    """Where a claim appeared, as schema.org wants it: a web address or a name («Nhóm Zalo
    cư dân…»)."""
    if where.startswith(("http://", "https://")):
        return {"@type": "CreativeWork", "url": where}
    return {"@type": "CreativeWork", "name": where}


def _appearances_as_works(item: dict[str, Any]) -> None:
    """A frozen review's bare strings become CreativeWorks; empty values are left out."""
    first = item.get("firstAppearance")
    if isinstance(first, str):
        first = _one_line(first)
        item["firstAppearance"] = _creative_work(first) if first else None
    if not item.get("firstAppearance"):
        item.pop("firstAppearance", None)
    seen = item.get("appearance")
    works = [
        _creative_work(_one_line(w)) if isinstance(w, str) else w
        for w in (seen if isinstance(seen, list) else [seen] if seen else [])
        if w and (not isinstance(w, str) or w.strip())
    ]
    if works:
        item["appearance"] = works
    else:
        item.pop("appearance", None)


def _one_line(text: str) -> str:
    return " ".join(text.split())


REVIEW_EXCERPT_CHARS = 300


def _review_excerpt(article: Article) -> str:
    """The review's body when none was given: the summary, else the start of the text."""
    text = _one_line(article.summary) or _one_line(html_to_text(article.body))
    if len(text) <= REVIEW_EXCERPT_CHARS:
        return text
    return text[:REVIEW_EXCERPT_CHARS].rsplit(" ", 1)[0] + " …"


# --- reading documents (PDF, speech) ------------------------------------------------------


@dataclass(frozen=True)
class Document:
    """What the PDF and read-aloud tools need of an article or an answer page."""

    kind: str  # "article" or "answer"
    key: str  # slug or issue pk
    title: str
    date: dt.date | None
    agency: str
    summary: str
    body_html: str
    url: str
    image_path: str = ""  # a file under MEDIA_ROOT
    image_alt: str = ""


def article_document(*, article: Article) -> Document:
    body = article.body
    if article.claim:
        # A rebuttal printed or shared as PDF keeps its verdict and where the claim appeared,
        # under the words of its web page (portal/article.html).
        box = [f"<p><strong>Thông tin sai:</strong> {escape(article.claim)}</p>"]
        if article.claim_rating:
            verdict = escape(str(article.get_claim_rating_display()))
            box.append(f"<p><strong>Đánh giá:</strong> {verdict}</p>")
        if article.claim_source:
            box.append(f"<p><strong>Xuất hiện tại:</strong> {escape(article.claim_source)}</p>")
        body = f'<div class="claim-box">{"".join(box)}</div>{body}'
    return Document(
        kind="article",
        key=article.slug,
        title=article.title,
        date=timezone.localtime(article.published_at).date() if article.published_at else None,
        agency=article.source_name,
        summary=article.summary,
        body_html=body,
        url=article.get_absolute_url(),
        image_path=article.image.name if article.image else "",
        image_alt=article.image_alt,
    )


def answer_document(*, issue: Issue) -> Document:
    body = (
        f"<h2>Nội dung phản ánh, kiến nghị</h2>{linebreaks(escape(issue.description))}"
        f"<h2>Trả lời</h2>{linebreaks(escape(issue.answer))}"
    )
    when = issue.answered_at or issue.published_at
    return Document(
        kind="answer",
        key=str(issue.pk),
        title=issue.title,
        date=timezone.localtime(when).date() if when else None,
        agency=answering_agency(issue=issue),
        summary="",
        body_html=body,
        url=reverse("portal:answer", kwargs={"pk": issue.pk}),
    )


def document_text(*, document: Document) -> str:
    """The plain text of a document, in reading order."""
    parts = [document.title, document.summary, html_to_text(document.body_html)]
    return "\n".join(p for p in parts if p)


# --- search ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Hit:
    kind: str  # "article", "answer" or "issue" (a public issue being handled)
    title: str
    url: str
    snippet: str
    date: dt.datetime | None
    label: str


def search(*, query: str, page: int = 1, per_page: int = 10) -> Page[Hit] | None:
    """Published articles, public answers and public issues being handled matching every
    word of `query`, with or without diacritics, best first (phrase and title matches weigh
    most), then newest. An issue being handled is found by its public title only."""
    terms = search_helper.terms(query, skip_letters=True)
    if not terms:
        return None
    # Only (score, date, kind, pk) rows are ranked in memory; objects are fetched per page.
    article_rows = (
        search_helper.matching(published_articles(), terms)
        .annotate(score=search_helper.score(terms, title_field="search_title"))
        .values_list("score", "published_at", "pk")[:500]
    )
    issue_rows = (
        search_helper.matching(public_answers(), terms)
        .annotate(score=search_helper.score(terms, title_field="search_text"))
        .values_list("score", "published_at", "pk")[:500]
    )
    epoch = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
    rows = [(s, d or epoch, "article", pk) for s, d, pk in article_rows]
    rows += [(s, d or epoch, "answer", pk) for s, d, pk in issue_rows]
    rows += _handled_issue_rows(terms)
    rows.sort(key=lambda r: (r[0], r[1]), reverse=True)
    paginator = Paginator(rows, per_page)
    result = paginator.get_page(page)
    wanted_articles = [pk for _s, _d, kind, pk in result.object_list if kind == "article"]
    wanted_issues = [pk for _s, _d, kind, pk in result.object_list if kind == "answer"]
    articles = Article.objects.in_bulk(wanted_articles)
    issues = Issue.objects.in_bulk(wanted_issues)
    handled = {
        i.pk: public.public_due(i)
        for i in public_issues.public_issue_pages().filter(
            pk__in=[pk for _s, _d, kind, pk in result.object_list if kind == "issue"]
        )
    }
    hits: list[Hit] = []
    for _s, _d, kind, pk in result.object_list:
        if kind == "article":
            a = articles[pk]
            hits.append(
                Hit(
                    "article",
                    a.title,
                    a.get_absolute_url(),
                    _snippet(a.summary or html_to_text(a.body), terms),
                    a.published_at,
                    a.get_category_display(),
                )
            )
        elif kind == "issue":
            due = handled.get(pk)
            if due is None:  # no longer public since the rows were read
                continue
            hits.append(
                Hit(
                    "issue",
                    due.title,
                    reverse("portal:public_issue", args=[due.code]),
                    " · ".join(filter(None, [due.code, due.place, due.status])),
                    dt.datetime.combine(due.received_on, dt.time(), tzinfo=dt.UTC),
                    "Vấn đề đang được giải quyết",
                )
            )
        else:
            i = issues[pk]
            hits.append(
                Hit(
                    "answer",
                    i.title,
                    answer_document(issue=i).url,
                    _snippet(i.answer, terms),
                    i.published_at,
                    "Trả lời phản ánh, kiến nghị",
                )
            )
    result.object_list = hits  # type: ignore[assignment]
    return result  # type: ignore[return-value]


def _handled_issue_rows(terms: list[str]) -> list[tuple[int, dt.datetime, str, int]]:
    """Rank rows of the public issues being handled whose public title (what /van-de/ shows)
    holds every word: narrowed in SQL by the folded `search_text` (title and description),
    then kept only when the title itself matches, so a word of the unpublished description
    finds nothing. Weights as `core.search.score`: the whole query 20, each word 3."""
    candidates = (
        search_helper.matching(public_issues.public_issue_pages(), terms)
        .prefetch_related(None)
        .select_related(None)
        .values_list("pk", "title", "short_title", "received_on")[:500]
    )
    phrase = " ".join(terms)
    rows: list[tuple[int, dt.datetime, str, int]] = []
    for pk, title, short_title, received_on in candidates:
        folded = fold(public.redact(f"{short_title} {title}"))
        if all(term in folded for term in terms):
            points = (20 if phrase in folded else 0) + 3 * len(terms)
            day = dt.datetime.combine(received_on, dt.time(), tzinfo=dt.UTC)
            rows.append((points, day, "issue", pk))
    return rows


def search_shows_issues_being_handled(page: Page[Hit] | None) -> bool:
    """Whether any result of this search (on any of its pages) is an issue being handled:
    its visibility and state change without a publish, so such a page is never cached."""
    if page is None:
        return False
    return any(row[2] == "issue" for row in page.paginator.object_list)


def _snippet(text: str, terms: list[str], width: int = 220) -> str:
    """A window of `text` around the first matched term (located on the folded text,
    which has the same length as the original for Vietnamese letters)."""
    folded = fold(text)
    positions = [folded.find(t) for t in terms if folded.find(t) >= 0]
    start = 0 if len(folded) != len(text) or not positions else max(0, min(positions) - 60)
    piece = text[start : start + width].strip()
    prefix = "… " if start > 0 else ""
    suffix = " …" if start + width < len(text) else ""
    return f"{prefix}{piece}{suffix}"
