"""Turning one row (a spreadsheet line, a JSON post, an API item, a feed entry) into a record.

Validation lives here and only reads the database (place, field and agency names); the
writes are in `services`. Each problem is a `RowError` naming the field in Vietnamese, so
the file import can print «Dòng N: …» and the API can name `signals[3].text`.
"""

from __future__ import annotations

import datetime as dt
import html
import re
import urllib.parse
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext as _

from phoihop.core.models import AdministrativeUnit, Agency, Field
from phoihop.intake.files import MAX_CELL_CHARS, is_formula_like
from phoihop.intake.headers import header_key
from phoihop.intake.models import Signal
from phoihop.triage.normalize import content_hash, fold, normalize_text

C = Signal.Channel
# The constant source of all feedback and of all news, so the same text arriving by two
# routes (web form and hotline log; two feeds syndicating one article) is one signal.
FEEDBACK_SOURCE = "phan-anh"
NEWS_SOURCE = "bao-chi"
MAX_TEXT_CHARS = MAX_CELL_CHARS


@dataclass(frozen=True)
class RowError:
    field: str
    message: str


def without_nul(value: Any) -> Any:
    """PostgreSQL stores no NUL character in text or JSON; drop it wherever it hides."""
    if isinstance(value, str):
        return value.replace("\x00", "")
    if isinstance(value, dict):
        return {without_nul(k): without_nul(v) for k, v in value.items()}
    if isinstance(value, list):
        return [without_nul(v) for v in value]
    return value


@dataclass
class Record:
    """What will become one Signal, before it is stored."""

    channel: str
    source: str
    raw_text: str
    key_text: str  # the text the exactly-once hash is computed from
    title: str = ""
    url: str = ""
    external_id: str = ""
    place_id: int | None = None
    occurred_at: dt.datetime | None = None
    metadata: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for name in ("source", "raw_text", "key_text", "title", "url", "external_id", "metadata"):
            setattr(self, name, without_nul(getattr(self, name)))

    @cached_property
    def text(self) -> str:
        return normalize_text(self.raw_text)

    @cached_property
    def content_hash(self) -> str:
        return content_hash(self.key_text)

    @property
    def key(self) -> tuple[str, str]:
        return (self.source, self.content_hash)


_UNIT_PREFIX = re.compile(r"^(xa|phuong|thi tran|dac khu|thi xa|thanh pho|tinh)\s+")


@dataclass
class Lookups:
    """Names of places, fields and agencies, folded, loaded once per import."""

    places: dict[str, int] = field(default_factory=dict)
    fields: dict[str, str] = field(default_factory=dict)
    agencies: dict[str, str] = field(default_factory=dict)
    _place_memo: dict[str, int | None] = field(default_factory=dict)

    @classmethod
    def load(cls) -> Lookups:
        lookups = cls()
        units = AdministrativeUnit.objects.order_by("-level").values_list("id", "name")
        for pk, name in units:  # communes last, so they win over a same-named province
            key = header_key(name)
            lookups.places[key] = pk
            lookups.places.setdefault(_UNIT_PREFIX.sub("", key), pk)
        for code, name in Field.objects.values_list("code", "name"):
            lookups.fields[header_key(name)] = code
            lookups.fields[header_key(code)] = code
        for code, name, short in Agency.objects.filter(is_active=True).values_list(
            "code", "name", "short_name"
        ):
            for value in (name, short, code):
                if value:
                    lookups.agencies[header_key(value)] = code
        return lookups

    def place(self, text: str) -> int | None:
        if text not in self._place_memo:
            self._place_memo[text] = self._find_place(text)
        return self._place_memo[text]

    def _find_place(self, text: str) -> int | None:
        key = header_key(text)
        if not key:
            return None
        found = self.places.get(key) or self.places.get(_UNIT_PREFIX.sub("", key))
        if found:
            return found
        # «Cử tri phường Lương Văn Tri:» — the longest known name inside the text.
        best: tuple[int, int] | None = None
        padded = f" {key} "
        for name, pk in self.places.items():
            if len(name) > 4 and f" {name} " in padded and (best is None or len(name) > best[0]):
                best = (len(name), pk)
        return best[1] if best else None


# ---- value parsing ------------------------------------------------------------------


def as_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    return str(value).strip()


_DMY = re.compile(
    r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})(?:[ T,]+(\d{1,2}):(\d{2})(?::(\d{2}))?)?$"
)
_YMD = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_WORDS = re.compile(r"ngay (\d{1,2}) thang (\d{1,2}) nam (\d{4})")


def parse_date(value: Any) -> dt.date | None:
    """A date from a cell: a real date, dd/mm/yyyy, yyyy-mm-dd or «ngày 5 tháng 3 năm 2025»."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = as_text(value)
    if not text:
        return None
    match = _DMY.match(text)
    if match:
        return dt.date(int(match.group(3)), int(match.group(2)), int(match.group(1)))
    match = _YMD.match(text)
    if match:
        return dt.date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    match = _WORDS.search(fold(text))
    if match:
        return dt.date(int(match.group(3)), int(match.group(2)), int(match.group(1)))
    raise ValueError(text)


def parse_datetime(value: Any) -> dt.datetime | None:
    """An aware datetime from ISO 8601, a Unix timestamp, dd/mm/yyyy [HH:MM] or a date."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        moment = value
    elif isinstance(value, dt.date):
        moment = dt.datetime.combine(value, dt.time())
    elif isinstance(value, int | float) and not isinstance(value, bool):
        if not 0 < value < 10**11:
            raise ValueError(value)
        return dt.datetime.fromtimestamp(value, tz=dt.UTC)
    else:
        text = as_text(value)
        match = _DMY.match(text)
        if match:
            moment = dt.datetime(
                int(match.group(3)),
                int(match.group(2)),
                int(match.group(1)),
                int(match.group(4) or 0),
                int(match.group(5) or 0),
                int(match.group(6) or 0),
            )
        else:
            moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


def parse_count(value: Any) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, int):
        number = value
    elif isinstance(value, float) and value.is_integer():
        number = int(value)
    else:
        number = int(as_text(value).replace(".", "").replace(",", "").replace(" ", ""))
    if number < 0 or number > 10**12:
        raise ValueError(value)
    return number


_TRACKING_PARAMS = re.compile(r"^(utm_|fbclid$|gclid$)")


def clean_url(value: Any) -> str:
    """An http(s) URL without its fragment and tracking parameters, or ValueError."""
    text = as_text(value)
    if not text:
        return ""
    parts = urllib.parse.urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.netloc or len(text) > 2000:
        raise ValueError(text)
    query = urllib.parse.urlencode(
        [
            (k, v)
            for k, v in urllib.parse.parse_qsl(parts.query, keep_blank_values=True)
            if not _TRACKING_PARAMS.match(k)
        ]
    )
    return urllib.parse.urlunsplit((parts.scheme, parts.netloc.lower(), parts.path, query, ""))


def html_to_text(value: str) -> str:
    return normalize_text(html.unescape(strip_tags(value or "")))


# ---- channels -----------------------------------------------------------------------


def _content(values: dict[str, Any], errors: list[RowError], missing: str) -> str:
    text = as_text(values.get("content"))
    if not normalize_text(text):
        errors.append(RowError("content", missing))
        return ""
    if len(text) > MAX_TEXT_CHARS:
        errors.append(
            RowError("content", _("nội dung quá dài (quá %(n)s ký tự)") % {"n": MAX_TEXT_CHARS})
        )
    return text


def _formula_flags(values: dict[str, Any], labels: dict[str, str]) -> list[RowError]:
    flagged = []
    for key, value in values.items():
        if isinstance(value, str) and is_formula_like(value):
            flagged.append(
                RowError(
                    key,
                    _("ô «%(col)s» bắt đầu bằng «%(ch)s» (giống công thức); đã lưu dạng văn bản")
                    % {"col": labels.get(key, key), "ch": value.lstrip()[0]},
                )
            )
    return flagged


def _place_flags(place_text: str, place_id: int | None) -> list[RowError]:
    """A place written but not found in the gazetteer: the row is stored without one, and
    the import says so (staff set it on the signal's page)."""
    if place_text and place_id is None:
        return [
            RowError(
                "place",
                _("không nhận ra địa bàn «%s»; đã lưu, chưa gắn địa bàn") % place_text,
            )
        ]
    return []


def _date(values: dict[str, Any], key: str, label: str, errors: list[RowError]) -> dt.date | None:
    try:
        return parse_date(values.get(key))
    except (ValueError, OverflowError):
        errors.append(
            RowError(
                key,
                _("%(label)s «%(value)s» không hợp lệ (cần dạng ngày/tháng/năm)")
                % {"label": label, "value": as_text(values.get(key))[:40]},
            )
        )
        return None


def _moment(values: dict[str, Any], key: str, errors: list[RowError]) -> dt.datetime | None:
    try:
        return parse_datetime(values.get(key))
    except (ValueError, OverflowError, OSError):
        errors.append(
            RowError(
                key,
                _("thời gian «%(value)s» không hợp lệ") % {"value": as_text(values.get(key))[:40]},
            )
        )
        return None


def _midnight(day: dt.date | None) -> dt.datetime | None:
    return timezone.make_aware(dt.datetime.combine(day, dt.time())) if day else None


@dataclass
class Checked:
    record: Record | None
    errors: list[RowError]
    warnings: list[RowError]


def check_petition(values: dict[str, Any], lookups: Lookups, *, round_name: str) -> Checked:
    errors: list[RowError] = []
    content = _content(values, errors, _("thiếu nội dung kiến nghị"))
    meeting = _date(values, "date", _("ngày tiếp xúc"), errors)
    warnings = _formula_flags(values, {"content": _("Nội dung kiến nghị")})
    if errors:
        return Checked(None, errors, warnings)
    place_text = normalize_text(as_text(values.get("place")))
    field_text = normalize_text(as_text(values.get("field")))
    agency_text = normalize_text(as_text(values.get("agency")))
    metadata: dict[str, Any] = {
        "stt": as_text(values.get("stt")),
        "place_text": place_text,
        "deputy": normalize_text(as_text(values.get("deputy"))),
        "meeting_date": meeting.isoformat() if meeting else "",
        "field_text": field_text,
        "field": lookups.fields.get(header_key(field_text), ""),
        "agency_text": agency_text,
        "agency": lookups.agencies.get(header_key(agency_text), ""),
    }
    if warnings:
        metadata["formula_like"] = sorted({w.field for w in warnings})
    record = Record(
        channel=C.PETITION,
        source=f"kien-nghi:{round_name}"[:500],
        raw_text=content,
        # The same words from two places are two petitions (two groups of voters).
        key_text=f"{content}\n{place_text}",
        place_id=lookups.place(place_text),
        occurred_at=_midnight(meeting),
        metadata={k: v for k, v in metadata.items() if v},
    )
    return Checked(record, [], warnings + _place_flags(place_text, record.place_id))


def check_feedback(values: dict[str, Any], lookups: Lookups) -> Checked:
    errors: list[RowError] = []
    content = _content(values, errors, _("thiếu nội dung phản ánh"))
    day = _date(values, "date", _("ngày phản ánh"), errors)
    warnings = _formula_flags(values, {"content": _("Nội dung phản ánh")})
    if errors:
        return Checked(None, errors, warnings)
    name = normalize_text(as_text(values.get("name")))[:200]
    contact = normalize_text(as_text(values.get("contact")))[:200]
    place_text = normalize_text(as_text(values.get("place")))[:200]
    metadata = {"name": name, "contact": contact, "place_text": place_text}
    if warnings:
        metadata["formula_like"] = sorted({w.field for w in warnings})  # type: ignore[assignment]
    record = Record(
        channel=C.FEEDBACK,
        source=FEEDBACK_SOURCE,
        raw_text=content,
        # One person sending the same words twice is one feedback; two people are two.
        key_text="\n".join([content, fold(name), fold(contact), fold(place_text)]),
        title=normalize_text(as_text(values.get("title")))[:500],
        place_id=values.get("place_id") or lookups.place(place_text),
        occurred_at=_midnight(day),
        metadata={k: v for k, v in metadata.items() if v},
    )
    return Checked(record, [], warnings + _place_flags(place_text, record.place_id))


def check_post(values: dict[str, Any], lookups: Lookups) -> Checked:
    errors: list[RowError] = []
    content = _content(values, errors, _("thiếu nội dung bài đăng"))
    posted = _moment(values, "time", errors)
    counts: dict[str, int] = {}
    labels = {"reactions": _("lượt tương tác"), "shares": _("lượt chia sẻ")}
    labels["comments"] = _("lượt bình luận")
    for key, label in labels.items():
        try:
            number = parse_count(values.get(key))
        except (ValueError, OverflowError):
            errors.append(RowError(key, _("%(label)s không phải số") % {"label": label}))
            continue
        if number is not None:
            counts[key] = number
    try:
        url = clean_url(values.get("url"))
    except ValueError:
        errors.append(RowError("url", _("đường dẫn không hợp lệ (cần http:// hoặc https://)")))
        url = ""
    warnings = _formula_flags(values, {"content": _("Nội dung bài đăng")})
    if errors:
        return Checked(None, errors, warnings)
    platform = header_key(values.get("platform")) or "khac"
    author = as_text(values.get("author"))[:200]
    post_id = as_text(values.get("post_id"))[:200]
    metadata: dict[str, Any] = {"platform": platform, "author": author, **counts}
    if warnings:
        metadata["formula_like"] = sorted({w.field for w in warnings})
    record = Record(
        channel=C.SOCIAL,
        # A post is itself once; the same words in many posts are a rumour spreading.
        source=f"mxh:{platform}:{post_id or author}"[:500],
        raw_text=content,
        key_text=content,
        url=url,
        external_id=post_id,
        occurred_at=posted,
        metadata={k: v for k, v in metadata.items() if v not in ("", None)},
    )
    return Checked(record, [], warnings)


def check_generic(
    values: dict[str, Any], lookups: Lookups, *, channel: str, source: str
) -> Checked:
    """API items of the news, collaborator and «other system» channels."""
    errors: list[RowError] = []
    content = _content(values, errors, _("thiếu nội dung"))
    moment = _moment(values, "time", errors)
    try:
        url = clean_url(values.get("url"))
    except ValueError:
        errors.append(RowError("url", _("đường dẫn không hợp lệ (cần http:// hoặc https://)")))
        url = ""
    if errors:
        return Checked(None, errors, [])
    extra = values.get("metadata") or {}
    record = Record(
        channel=channel,
        source=(NEWS_SOURCE if channel == C.NEWS else source)[:500],
        raw_text=content,
        key_text=content,
        title=normalize_text(as_text(values.get("title")))[:500],
        url=url,
        external_id=as_text(values.get("external_id"))[:500],
        place_id=values.get("place_id"),
        occurred_at=moment,
        metadata=dict(extra) if isinstance(extra, dict) else {},
    )
    return Checked(record, [], [])
