"""GeoReport v2 over phoihop: services are the fields (lĩnh vực); service requests are the
public issues, each with its lead agency, legal due date and status; a POSTed request is
stored as a citizen's feedback signal through intake, like any other.

What the public may read follows `cases.public`: no names or contacts, the place at
commune level (its centre as lat/long), phone numbers and e-mails hidden in text.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from phoihop.cases import deadlines, public
from phoihop.cases.models import Issue
from phoihop.core import province
from phoihop.core.models import AdministrativeUnit, Field, User
from phoihop.intake import selectors as intake_selectors
from phoihop.intake import services as intake_services
from phoihop.intake.models import Signal
from phoihop.portal import selectors as portal_selectors
from phoihop.triage.normalize import fold

Row = dict[str, Any]
MAX_SPAN = dt.timedelta(days=90)
MAX_RESULTS = 1000
CLOSED_STATES = (Issue.State.ANSWERED, Issue.State.PUBLISHED, Issue.State.CLOSED)


class Open311Error(Exception):
    """A request the spec answers with an error list: (HTTP code, description)."""

    def __init__(self, status: int, description: str) -> None:
        super().__init__(description)
        self.status = status
        self.description = description


def jurisdiction() -> str:
    configured = str(settings.PHOIHOP_OPEN311_JURISDICTION)
    return configured or f"{province.words()['slug']}.gov.vn"


def check_jurisdiction(value: str | None) -> None:
    """The endpoint serves one jurisdiction: the parameter may be left out or must match."""
    if value and value != jurisdiction():
        raise Open311Error(404, f"Không có địa phương (jurisdiction_id) «{value}».")


def _iso(value: dt.datetime | None) -> str | None:
    if value is None:
        return None
    return timezone.localtime(value).isoformat(timespec="seconds")


def _end_of(day: dt.date | None) -> str | None:
    if day is None:
        return None
    moment = dt.datetime.combine(day, dt.time(23, 59, 59))
    return _iso(timezone.make_aware(moment))


def _requested(issue: Issue) -> str | None:
    """When the request was received: the moment the issue was opened when that was its
    reception day, else the reception day itself (an issue opened later for a matter
    received earlier, e.g. a petition of a past meeting, is not «requested» after its due)."""
    if timezone.localtime(issue.created_at).date() == issue.received_on:
        return _iso(issue.created_at)
    return _iso(timezone.make_aware(dt.datetime.combine(issue.received_on, dt.time())))


# ---- services ------------------------------------------------------------------------


def services() -> QuerySet[Field]:
    return Field.objects.filter(is_active=True).order_by("order", "name")


def service_row(field: Field) -> Row:
    return {
        "service_code": field.code,
        "service_name": field.name,
        "description": field.description or field.name,
        "metadata": False,
        "type": "batch",  # a request becomes an issue once triaged: a token first
        "keywords": field.name,
        "group": "",
    }


def service(code: str) -> Field:
    field = services().filter(code=code).first()
    if field is None:
        raise Open311Error(404, f"Không có lĩnh vực (service_code) «{code}».")
    return field


def service_definition(field: Field) -> Row:
    # Fields take no extra attributes: the description and the place say everything.
    return {"service_code": field.code, "attributes": []}


# ---- requests ------------------------------------------------------------------------


def _status(issue: Issue) -> str:
    return "closed" if issue.state in CLOSED_STATES else "open"


def request_row(issue: Issue) -> Row:
    due = deadlines.due_status(issue)
    unit = public.commune_of(issue.place)
    lead = portal_selectors.answering_agency(issue=issue)
    notes = public.status_label(issue)
    if issue.state in (Issue.State.PUBLISHED, Issue.State.CLOSED) and issue.published_at:
        notes = public.redact(issue.answer)[:1000] or notes
    elif due.overdue:
        notes = f"{notes} (quá hạn)"
    return {
        "service_request_id": issue.code,
        "status": _status(issue),
        "status_notes": notes,
        "service_name": issue.field.name if issue.field else "",
        "service_code": issue.field.code if issue.field else "",
        "description": public.redact(issue.short_title or issue.title),
        "agency_responsible": lead,
        "service_notice": due.due.basis,
        "requested_datetime": _requested(issue),
        "updated_datetime": _iso(issue.updated_at),
        "expected_datetime": _end_of(due.due.on),
        "address": public.place_name(issue),
        "address_id": str(unit.code) if unit else "",
        "zipcode": "",
        "lat": unit.latitude if unit else None,
        "long": unit.longitude if unit else None,
        "media_url": "",
    }


def _date(name: str, value: str) -> dt.datetime:
    parsed = parse_datetime(value.strip().replace(" ", "+"))
    if parsed is None:
        try:
            parsed = dt.datetime.combine(dt.date.fromisoformat(value.strip()), dt.time())
        except ValueError:
            message = f"{name}: «{value}» không phải thời điểm theo ISO 8601."
            raise Open311Error(400, message) from None
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed)
    return parsed


def _codes(value: str) -> list[str]:
    return [v.strip() for v in value.split(",") if v.strip()]


@dataclass(frozen=True)
class RequestFilters:
    ids: list[str]
    service_codes: list[str]
    start: dt.datetime
    end: dt.datetime
    statuses: list[str]


def parse_filters(params: Any, *, now: dt.datetime | None = None) -> RequestFilters:
    """The GET requests parameters, checked: dates at most 90 days apart, known statuses."""
    now = now or timezone.now()
    ids = _codes(params.get("service_request_id", ""))
    start_text, end_text = params.get("start_date", ""), params.get("end_date", "")
    end = _date("end_date", end_text) if end_text else now
    start = _date("start_date", start_text) if start_text else end - MAX_SPAN
    if start > end:
        raise Open311Error(400, "start_date không được sau end_date.")
    if end - start > MAX_SPAN:
        raise Open311Error(400, "start_date và end_date cách nhau tối đa 90 ngày.")
    statuses = _codes(params.get("status", "").lower())
    unknown = [s for s in statuses if s not in ("open", "closed")]
    if unknown:
        wrong = ", ".join(unknown)
        raise Open311Error(400, f"status chỉ nhận open hoặc closed, không nhận: {wrong}.")
    return RequestFilters(ids, _codes(params.get("service_code", "")), start, end, statuses)


def requests(filters: RequestFilters) -> list[Row]:
    issues = public.public_issues().select_related("field")
    if filters.ids:
        # The spec: with service_request_id, the other parameters are ignored.
        issues = issues.filter(code__in=filters.ids[:MAX_RESULTS])
    else:
        issues = issues.filter(created_at__gte=filters.start, created_at__lte=filters.end)
        if filters.service_codes:
            issues = issues.filter(field__code__in=filters.service_codes)
        if filters.statuses == ["open"]:
            issues = issues.exclude(state__in=CLOSED_STATES)
        elif filters.statuses == ["closed"]:
            issues = issues.filter(state__in=CLOSED_STATES)
    return [request_row(i) for i in issues.order_by("-created_at", "-id")[:MAX_RESULTS]]


def request(code: str) -> Row:
    issue = public.public_issues().select_related("field").filter(code=code).first()
    if issue is None:
        raise Open311Error(404, f"Không có yêu cầu (service_request_id) «{code}».")
    return request_row(issue)


def token(value: str) -> Row:
    """A token (the tracking code) → the service request it became, once it is a public
    issue; until then the id is empty."""
    code = intake_selectors.normalize_tracking_code(value)  # «PAXZVD9JHE», as /tra-cuu/ reads
    signal = Signal.objects.select_related("issue").filter(tracking_code=code).first()
    if signal is None:
        raise Open311Error(404, f"Không có mã theo dõi (token) «{value}».")
    issue = signal.issue
    visible = issue is not None and public.public_issues().filter(pk=issue.pk).exists()
    return {
        "service_request_id": issue.code if visible and issue else "",
        "token": signal.tracking_code,
    }


# ---- POST requests -------------------------------------------------------------------


def _float(name: str, value: str) -> float:
    try:
        number = float(value)
    except ValueError:
        raise Open311Error(400, f"{name} phải là số: «{value}».") from None
    if not math.isfinite(number):
        raise Open311Error(400, f"{name} phải là số: «{value}».")
    return number


def _nearest_commune(lat: float, long: float) -> AdministrativeUnit | None:
    if not (-90 <= lat <= 90 and -180 <= long <= 180):
        raise Open311Error(400, "lat/long nằm ngoài phạm vi tọa độ.")
    units = AdministrativeUnit.objects.filter(
        level=AdministrativeUnit.Level.COMMUNE, latitude__isnull=False, longitude__isnull=False
    ).only("id", "code", "name", "latitude", "longitude")
    best, best_d = None, 0.0
    for unit in units:
        assert unit.latitude is not None and unit.longitude is not None
        d = (unit.latitude - lat) ** 2 + (
            (unit.longitude - long) * math.cos(math.radians(lat))
        ) ** 2
        if best is None or d < best_d:
            best, best_d = unit, d
    # Farther than about 0.3° (30 km) from every commune centre: outside the province.
    return best if best is not None and best_d <= 0.09 else None


def _place(params: Any) -> AdministrativeUnit | None:
    lat, long = params.get("lat", "").strip(), params.get("long", "").strip()
    address = params.get("address_string", "").strip()
    address_id = params.get("address_id", "").strip()
    if not ((lat and long) or address or address_id):
        raise Open311Error(
            400, "Cần địa điểm (location): lat và long, address_string hoặc address_id."
        )
    if address_id:
        unit = (
            AdministrativeUnit.objects.filter(code=int(address_id)).order_by("level").first()
            if address_id.isdigit() and len(address_id) < 10
            else None
        )
        if unit is None:
            raise Open311Error(400, f"Không có đơn vị hành chính (address_id) «{address_id}».")
        return unit
    if lat and long:
        return _nearest_commune(_float("lat", lat), _float("long", long))
    folded = fold(address)
    for unit in AdministrativeUnit.objects.filter(level=AdministrativeUnit.Level.COMMUNE):
        if unit.search_name and unit.search_name in folded:
            return unit
    return None


def create_request(*, by: User, params: Any) -> Row:
    """Store a POSTed service request as a citizen's feedback signal (once); answer with the
    token to follow it (its tracking code)."""
    code = params.get("service_code", "").strip()
    if not code:
        raise Open311Error(400, "Thiếu lĩnh vực (service_code).")
    field = service(code)
    description = params.get("description", "").strip()
    if not description:
        raise Open311Error(400, "Thiếu nội dung phản ánh (description).")
    place = _place(params)
    name = " ".join(
        p for p in (params.get("first_name", "").strip(), params.get("last_name", "").strip()) if p
    )
    email = params.get("email", "").strip()
    if email:
        try:
            validate_email(email)
        except ValidationError as error:
            raise Open311Error(400, f"email: «{email}» không phải địa chỉ thư điện tử.") from error
    contact = email or params.get("phone", "").strip()
    metadata = {
        "open311_service_code": field.code,
        "field": field.code,
        "email": params.get("email", "").strip()[:200],
        "phone": params.get("phone", "").strip()[:40],
        "device_id": params.get("device_id", "").strip()[:200],
        "account_id": params.get("account_id", "").strip()[:200],
        "media_url": params.get("media_url", "").strip()[:2000],
        "address_string": params.get("address_string", "").strip()[:500],
        "lat": params.get("lat", "").strip()[:40],
        "long": params.get("long", "").strip()[:40],
    }
    item = {
        "channel": Signal.Channel.FEEDBACK,
        # no title: the service's name is not the citizen's words (it is the field, kept in
        # the metadata); an issue opened from the request takes its title from the text
        "text": description,
        "name": name,
        "contact": contact,
        "place": place.code if place else None,
        "metadata": {k: v for k, v in metadata.items() if v},
    }
    try:
        receipt = intake_services.signals_receive(by=by, items=[item], single=True)
    except ValidationError as error:
        messages = [
            f"{name}: {message}"
            for name, items in getattr(error, "message_dict", {"request": error.messages}).items()
            for message in items
        ]
        raise Open311Error(400, "; ".join(messages)) from None
    signal = receipt.signals[0].signal
    status = intake_selectors.tracking_status(code=signal.tracking_code or "")
    request_id = token(signal.tracking_code)["service_request_id"] if signal.tracking_code else ""
    return {
        "service_request_id": request_id,
        "token": signal.tracking_code or "",
        "service_notice": status.status if status else "",
        "account_id": metadata["account_id"],
    }
