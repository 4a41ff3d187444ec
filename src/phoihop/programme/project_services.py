"""Key projects: created, edited, and the opinion around them, found by the triage engine's
own means: the similarity of hashed syllable n-grams (`phoihop.triage.features`) between
what people say and the project's name and keywords, and the places they mention
(`phoihop.triage.places`).

The matcher runs in the background task (`link_project_mentions`); staff then see the
linked signals and issues, and link or unlink them by hand.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from phoihop.cases.models import Issue
from phoihop.core import audit, policy
from phoihop.core.models import AdministrativeUnit, Agency, User
from phoihop.intake.models import Signal
from phoihop.programme import hooks, inputs
from phoihop.programme.models import KeyProject, ProjectLink
from phoihop.triage.features import FeatureConfig, Featurizer
from phoihop.triage.normalize import normalize_text
from phoihop.triage.places import Gazetteer

# How much of a keyword phrase (its weighted syllables and syllable pairs, in any order)
# a text must contain; less when the text is about one of the project's places.
CONTAINS = 0.75
CONTAINS_IN_PLACE = 0.6
# How close a text must be to the project's name and description as a whole.
SIMILAR = 0.45
PLACE_BONUS = 0.15
# Signals older than this are not scanned again by the daily task.
WINDOW = dt.timedelta(days=180)
CHUNK = 2000


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    return Gazetteer.from_vietnam_provinces()


@dataclass(frozen=True)
class Match:
    score: float
    reason: str


class ProjectMatcher:
    """Scores texts against one project's profile: keyword phrases and name + description."""

    def __init__(self, project: KeyProject, province_code: int | None = None) -> None:
        self.keywords = [
            normalize_text(line) for line in project.keywords.splitlines() if line.strip()
        ]
        self.profile = normalize_text(f"{project.name}. {project.description}")
        self.place_names = {p.code: p.name for p in project.places.all()}
        self.place_codes = set(self.place_names)
        self.province_code = province_code
        # syllables and syllable pairs, without diacritics (posts are often typed without)
        self.words = Featurizer(
            FeatureConfig(char_ngrams=(), word_ngrams=(1, 2), accented_words=False)
        )
        self.full = Featurizer(FeatureConfig(accented_words=False))

    def score(self, texts: Sequence[str]) -> list[Match | None]:
        if not texts:
            return []
        reference = [*self.keywords, self.profile, *texts]
        self.words.fit_idf(reference)
        self.full.fit_idf(reference)
        matches: list[Match | None] = [None] * len(texts)
        contains = self._containment(texts)
        similar = self._similarity(texts)
        places = [self._places(t) for t in texts]
        for i in range(len(texts)):
            in_place = bool(places[i])
            best_kw = int(np.argmax(contains[i])) if self.keywords else -1
            kw_score = float(contains[i][best_kw]) if self.keywords else 0.0
            needed = CONTAINS_IN_PLACE if in_place else CONTAINS
            sim = float(similar[i]) + (PLACE_BONUS if in_place else 0.0)
            reasons: list[str] = []
            if kw_score >= needed:
                reasons.append(
                    _("gần với «%(keyword)s» (%(score)s)")
                    % {
                        "keyword": self.keywords[best_kw],
                        "score": f"{kw_score:.2f}".replace(".", ","),
                    }
                )
            if sim >= SIMILAR:
                reasons.append(
                    _("gần với nội dung dự án (%(score)s)")
                    % {"score": f"{sim:.2f}".replace(".", ",")}
                )
            if not reasons:
                continue
            if in_place:
                reasons.append(_("địa bàn %(place)s") % {"place": ", ".join(places[i])})
            matches[i] = Match(round(max(kw_score, sim), 4), "; ".join(reasons)[:200])
        return matches

    def _containment(self, texts: Sequence[str]) -> np.ndarray:
        if not self.keywords:
            return np.zeros((len(texts), 0))
        kw = self.words.vectors(self.keywords)  # l2-normalised weights
        kw = kw.multiply(kw).tocsr()  # squared: the shares of each feature sum to 1
        present = self.words.vectors(list(texts))
        present.data[:] = 1.0
        return np.asarray((present @ kw.T).todense())

    def _similarity(self, texts: Sequence[str]) -> np.ndarray:
        profile = self.full.vectors([self.profile])
        vectors = self.full.vectors(list(texts))
        return np.asarray((vectors @ profile.T).todense()).ravel()

    def _places(self, text: str) -> list[str]:
        if not self.place_codes:
            return []
        found = gazetteer().extract(text, province_code=self.province_code)
        return sorted({self.place_names[p.code] for p in found if p.code in self.place_codes})


def _province_code() -> int | None:
    return int(settings.PHOIHOP_PROVINCE_CODE)


@transaction.atomic
def project_link_opinion(*, project: KeyProject, since: dt.datetime | None = None) -> int:
    """Link the signals and issues whose text is close to the project (never those staff
    unlinked); returns the number of new links."""
    matcher = ProjectMatcher(project, province_code=_province_code())
    known_signals = set(
        ProjectLink.objects.filter(project=project, signal__isnull=False).values_list(
            "signal_id", flat=True
        )
    )
    known_issues = set(
        ProjectLink.objects.filter(project=project, issue__isnull=False).values_list(
            "issue_id", flat=True
        )
    )
    since = since or timezone.now() - WINDOW
    created = 0
    signals = Signal.objects.filter(received_at__gte=since).exclude(pk__in=known_signals)
    created += _link_batch(
        project,
        matcher,
        [(s.pk, s.text) for s in signals.order_by("pk").iterator(chunk_size=CHUNK)],
        kind="signal",
    )
    issues = Issue.objects.exclude(pk__in=known_issues)
    created += _link_batch(
        project,
        matcher,
        [
            (i.pk, f"{i.title}. {i.description}")
            for i in issues.order_by("pk").iterator(chunk_size=CHUNK)
        ],
        kind="issue",
    )
    if created:
        audit.record(
            actor=None,
            action="project.link",
            target=project,
            scope=f"project:{project.pk}",
            created=created,
        )
        for hook in hooks.project_mentioned:
            hook(project, created)
    return created


def _link_batch(
    project: KeyProject,
    matcher: ProjectMatcher,
    rows: list[tuple[int, str]],
    *,
    kind: str,
) -> int:
    created = 0
    for start in range(0, len(rows), CHUNK):
        chunk = rows[start : start + CHUNK]
        scores = matcher.score([text for _pk, text in chunk])
        for (pk, _text), match in zip(chunk, scores, strict=True):
            if match is None:
                continue
            ProjectLink.objects.create(
                project=project, score=match.score, matched=match.reason, **{kind + "_id": pk}
            )
            created += 1
    return created


# --- staff link and unlink by hand --------------------------------------------------------------


@transaction.atomic
def project_link(
    *, by: User, project: KeyProject, signal: Signal | None = None, issue: Issue | None = None
) -> ProjectLink:
    """Staff link a signal or an issue to the project (again, if it was unlinked)."""
    policy.require(by, "programme.manage")
    if (signal is None) == (issue is None):
        raise ValidationError(_("Chọn một tín hiệu hoặc một vấn đề để gắn."))
    link, _created = ProjectLink.objects.update_or_create(
        project=project,
        signal=signal,
        issue=issue,
        defaults={"removed": False, "linked_by": by, "matched": _("gắn thủ công")},
    )
    audit.record(
        actor=by,
        action="project.link_manual",
        target=project,
        scope=f"project:{project.pk}",
        signal=signal.pk if signal else None,
        issue=issue.code if issue else None,
    )
    return link


@transaction.atomic
def project_unlink(*, by: User, link: ProjectLink, reason: str = "") -> ProjectLink:
    """Staff say a linked item is not about the project; the matcher will not link it again."""
    policy.require(by, "programme.manage")
    if link.removed:
        return link
    link.removed = True
    link.linked_by = by
    link.save(update_fields=["removed", "linked_by"])
    audit.record(
        actor=by,
        action="project.unlink",
        target=link.project,
        scope=f"project:{link.project_id}",
        signal=link.signal_id,
        issue=link.issue.code if link.issue else None,
        reason=(reason or "").strip(),
    )
    return link


def linked(*, project: KeyProject) -> tuple[list[ProjectLink], list[ProjectLink]]:
    """The project's linked signals and issues (not removed), most recent first."""
    links = (
        ProjectLink.objects.filter(project=project, removed=False)
        .select_related("signal__place", "signal__issue", "issue__place", "linked_by")
        .order_by("-linked_at", "-id")
    )
    signals = [link for link in links if link.signal_id][:100]
    issues = [link for link in links if link.issue_id][:100]
    return signals, issues


# --- the project itself, from staff screens ------------------------------------------------------

PROJECT_FIELDS = (
    "code",
    "name",
    "owner_agency",
    "description",
    "phases",
    "keywords",
    "plan_messages",
    "plan_channels",
    "plan_schedule",
)


def _snapshot(project: KeyProject) -> dict[str, object]:
    data = audit.snapshot(project, PROJECT_FIELDS)
    data["places"] = sorted(project.places.values_list("name", flat=True))
    data["plan_agencies"] = sorted(project.plan_agencies.values_list("name", flat=True))
    return data


@transaction.atomic
def project_update(*, by: User, project: KeyProject, **changes: object) -> KeyProject:
    """Edit a key project and its communication plan; the change is audited field by field."""
    policy.require(by, "programme.manage")
    unknown = set(changes) - {*PROJECT_FIELDS, "places", "plan_agencies"}
    if unknown:
        raise ValueError(f"unknown fields: {sorted(unknown)}")
    before = _snapshot(project)
    name = normalize_text(str(changes.get("name", project.name) or ""))
    if not name:
        raise ValidationError({"name": _("Cần nhập tên dự án.")})
    code = str(changes.get("code", project.code) or "").strip()
    if not code:
        raise ValidationError({"code": _("Cần nhập mã dự án.")})
    if KeyProject.objects.filter(code=code).exclude(pk=project.pk).exists():
        raise ValidationError({"code": _("Mã dự án đã được dùng.")})
    for field in PROJECT_FIELDS:
        if field in changes:
            value = changes[field]
            setattr(project, field, value.strip() if isinstance(value, str) else value)
    project.name, project.code = name, code
    project.save()
    if "places" in changes:
        project.places.set(list(changes["places"]))  # type: ignore[call-overload]
    if "plan_agencies" in changes:
        project.plan_agencies.set(list(changes["plan_agencies"]))  # type: ignore[call-overload]
    after = _snapshot(project)
    changed = {k: v for k, v in after.items() if before.get(k) != v}
    if changed:
        audit.record(
            actor=by,
            action="project.update",
            target=project,
            scope=f"project:{project.pk}",
            before={k: before.get(k) for k in changed},
            after=changed,
        )
    return project


@transaction.atomic
def project_create(
    *,
    by: User,
    code: str,
    name: str,
    owner_agency: Agency,
    places: Iterable[AdministrativeUnit] = (),
    description: str = "",
    phases: str = "",
    keywords: str = "",
    plan_messages: str = "",
    plan_channels: str = "",
    plan_schedule: str = "",
    plan_agencies: Iterable[Agency] = (),
) -> KeyProject:
    policy.require(by, "programme.manage")
    name = inputs.required(name, "name", _("Cần nhập tên dự án."))
    if KeyProject.objects.filter(code=code).exists():
        raise ValidationError({"code": _("Mã dự án đã được dùng.")})
    project = KeyProject.objects.create(
        code=code,
        name=name,
        owner_agency=owner_agency,
        description=description.strip(),
        phases=phases.strip(),
        keywords=keywords.strip(),
        plan_messages=plan_messages.strip(),
        plan_channels=plan_channels.strip(),
        plan_schedule=plan_schedule.strip(),
    )
    project.places.set(list(places))
    project.plan_agencies.set(list(plan_agencies))
    audit.record(actor=by, action="project.create", target=project, scope=f"project:{project.pk}")
    return project


def project_link_mentions(*, project: KeyProject) -> int:
    """Link the signals and issues close to the project; see `project_link_opinion`."""
    return project_link_opinion(project=project)


def projects_link_mentions() -> int:
    """Link new mentions for every key project (run daily by the background task)."""
    return sum(project_link_mentions(project=p) for p in KeyProject.objects.order_by("pk"))
