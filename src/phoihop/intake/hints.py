"""«Có phải bạn muốn phản ánh…?»: the public answers and open public issues closest to what
a citizen is typing, so they can follow an existing one instead of sending it again.

Candidates come from the issues' folded search text (`triage.normalize.search_terms`, as
the portal's search does); they are ranked by the triage engine's own similarity (hashed
syllable and character n-grams, `triage.features`), the measure `programme.projects` uses.
Only public issues are offered, and only their title, a short excerpt of the public answer,
the status and the commune: never a name or a contact.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import reduce
from operator import or_

import numpy as np
from django.db.models import Q
from django.urls import reverse

from phoihop.cases import deadlines, public
from phoihop.cases.models import Issue
from phoihop.triage.features import FeatureConfig, Featurizer
from phoihop.triage.normalize import normalize_text, search_terms

# Texts shorter than this say too little to compare.
MIN_CHARS = 12
# Below this cosine a candidate is not shown: it only shares common words.
MIN_SCORE = 0.2
CANDIDATES = 300
# Folded words too common to find candidates by.
STOPWORDS = frozenset(
    {
        "cac",
        "cua",
        "cho",
        "voi",
        "nay",
        "trong",
        "khong",
        "duoc",
        "nhung",
        "nguoi",
        "mot",
        "nhieu",
        "rat",
        "dang",
        "chua",
        "tai",
        "den",
    }
)
ANSWERED = (Issue.State.PUBLISHED, Issue.State.CLOSED)


@dataclass(frozen=True)
class Hint:
    kind: str  # "answer": an answer published on the portal; "open": being handled
    code: str
    title: str
    url: str
    excerpt: str
    status: str
    place: str
    score: float


def _offered() -> Q:
    """Answers published on the portal, and public issues still being handled."""
    answered = Q(state__in=ANSWERED, published_at__isnull=False) & ~Q(answer="")
    return answered | Q(state__in=deadlines.OPEN_STATES)


def similar_public_issues(*, text: str, limit: int = 5) -> list[Hint]:
    """The public issues closest to `text`, best first (at most `limit`)."""
    text = normalize_text(text or "")[:2000]
    if len(text) < MIN_CHARS:
        return []
    terms = [t for t in search_terms(text, max_words=24) if len(t) >= 3 and t not in STOPWORDS]
    if not terms:
        return []
    words = reduce(or_, (Q(search_text__contains=t) for t in terms[:12]))
    candidates = list(
        public.public_issues()
        .filter(_offered() & words)
        .order_by("-received_on", "-id")[:CANDIDATES]
    )
    if not candidates:
        return []
    featurizer = Featurizer(FeatureConfig(n_bits=18, accented_words=False))
    documents = [f"{i.title}. {i.description}" for i in candidates]
    featurizer.fit_idf([text, *documents])
    query = featurizer.vectors([text])
    scores = np.asarray((featurizer.vectors(documents) @ query.T).todense()).ravel()
    order = [int(k) for k in np.argsort(-scores, kind="stable") if scores[k] >= MIN_SCORE]
    return [_hint(candidates[k], float(scores[k])) for k in order[:limit]]


def _hint(issue: Issue, score: float) -> Hint:
    answered = issue.state in ANSWERED
    place = public.place_name(issue)
    if answered:
        url = reverse("portal:answer", kwargs={"pk": issue.pk})
        excerpt = _excerpt(issue.answer)
    else:
        url = reverse("portal:public_issue", kwargs={"code": issue.code})
        excerpt = ""  # not yet reviewed for publication: the title only
    return Hint(
        kind="answer" if answered else "open",
        code=issue.code,
        title=public.redact(issue.short_title or issue.title),
        url=url,
        excerpt=excerpt,
        status=public.status_label(issue),  # the wording of /van-de/ and the look-up
        place=place,
        score=round(score, 3),
    )


def _excerpt(text: str, width: int = 180) -> str:
    text = " ".join(public.redact(text or "").split())
    return text if len(text) <= width else text[:width].rsplit(" ", 1)[0] + " …"
