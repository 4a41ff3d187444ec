"""GeoReport v2 conformance (wiki.open311.org/GeoReport_v2): every method in XML and JSON,
every required field, and every error case in the spec's shape."""

from __future__ import annotations

import datetime as dt
from typing import Any
from xml.etree import ElementTree as ET

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone
from tests.factories import FieldFactory, IssueFactory, UnitFactory
from tests.regimes import ensure_regimes

from phoihop.api.services import token_create
from phoihop.cases import services as case_services
from phoihop.cases.models import Assignment, Issue
from phoihop.core.models import AdministrativeUnit
from phoihop.intake.models import Signal

BASE = "/open311/v2"
SERVICE_FIELDS = {
    "service_code",
    "service_name",
    "description",
    "metadata",
    "type",
    "keywords",
    "group",
}
REQUEST_FIELDS = {
    "service_request_id",
    "status",
    "status_notes",
    "service_name",
    "service_code",
    "description",
    "agency_responsible",
    "service_notice",
    "requested_datetime",
    "updated_datetime",
    "expected_datetime",
    "address",
    "address_id",
    "zipcode",
    "lat",
    "long",
    "media_url",
}


@pytest.fixture
def city(world: Any) -> dict[str, Any]:
    cache.clear()
    regimes = ensure_regimes()
    province = UnitFactory(level=AdministrativeUnit.Level.PROVINCE, code=20, name="Tỉnh Lạng Sơn")
    commune = UnitFactory(
        code=6001, name="Phường Tam Thanh", parent=province, latitude=21.85, longitude=106.76
    )
    roads = FieldFactory(code="giao-thong", name="Giao thông", description="Đường, cầu, đèn")
    issue = IssueFactory(
        title="Ổ gà lớn trên đường Bà Triệu",
        field=roads,
        place=commune,
        regime=regimes["phan-anh"],
        received_on=timezone.localdate(),
        visibility=Issue.Visibility.PUBLIC,
        state=Issue.State.IN_PROGRESS,
    )
    Assignment.objects.create(
        issue=issue,
        agency=world.dept,
        agency_name=world.dept.name,
        role=Assignment.Role.LEAD,
        state=Assignment.State.ACCEPTED,
        deadline=timezone.localdate() + dt.timedelta(days=20),
    )
    internal = IssueFactory(field=roads, visibility=Issue.Visibility.INTERNAL, state="in_progress")
    _token, key = token_create(user=world.coordinator, name="open311")
    return {"field": roads, "issue": issue, "internal": internal, "key": key, "commune": commune}


def _xml(response: Any) -> ET.Element:
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    body = response.content.decode("utf-8")
    assert body.startswith('<?xml version="1.0" encoding="utf-8"?>')
    return ET.fromstring(body.split("?>", 1)[1])  # noqa: S314 (our own response)


def _error(response: Any, fmt: str, status: int) -> str:
    assert response.status_code == status
    if fmt == "json":
        body = response.json()
        assert isinstance(body, list) and set(body[0]) == {"code", "description"}
        assert body[0]["code"] == status
        return str(body[0]["description"])
    root = _xml(response)
    assert root.tag == "errors"
    error = root.find("error")
    assert error is not None and error.findtext("code") == str(status)
    return error.findtext("description") or ""


# ---- services ---------------------------------------------------------------------------


def test_services_json_lists_fields_with_every_required_field(city: Any) -> None:
    body = Client().get(f"{BASE}/services.json").json()
    roads = next(s for s in body if s["service_code"] == "giao-thong")
    assert set(roads) == SERVICE_FIELDS
    assert roads["service_name"] == "Giao thông" and roads["metadata"] is False
    assert roads["type"] in ("realtime", "batch", "blackbox")


def test_services_xml(city: Any) -> None:
    root = _xml(Client().get(f"{BASE}/services.xml"))
    assert root.tag == "services"
    service = next(s for s in root.findall("service") if s.findtext("service_code") == "giao-thong")
    assert {child.tag for child in service} == SERVICE_FIELDS
    assert service.findtext("metadata") == "false"
    assert service.findtext("service_name") == "Giao thông"


@pytest.mark.parametrize("fmt", ["xml", "json"])
def test_service_definition_and_unknown_service(city: Any, fmt: str) -> None:
    response = Client().get(f"{BASE}/services/giao-thong.{fmt}")
    assert response.status_code == 200
    if fmt == "json":
        assert response.json() == {"service_code": "giao-thong", "attributes": []}
    else:
        root = _xml(response)
        assert root.tag == "service_definition" and root.findtext("service_code") == "giao-thong"
        assert root.find("attributes") is not None
    missing = Client().get(f"{BASE}/services/khong-co.{fmt}")
    assert "Không có lĩnh vực (service_code) «" in _error(missing, fmt, 404)


@pytest.mark.parametrize("fmt", ["xml", "json"])
def test_jurisdiction_id_may_be_left_out_or_must_match(city: Any, fmt: str) -> None:
    assert (
        Client().get(f"{BASE}/services.{fmt}", {"jurisdiction_id": "langson.gov.vn"}).status_code
        == 200
    )
    wrong = Client().get(f"{BASE}/services.{fmt}", {"jurisdiction_id": "hanoi.gov.vn"})
    assert "jurisdiction_id" in _error(wrong, fmt, 404)


def test_unknown_format_is_not_found(city: Any) -> None:
    assert Client().get(f"{BASE}/services.csv").status_code == 404


# ---- GET requests -----------------------------------------------------------------------


def test_a_request_has_every_field_lead_agency_and_legal_due_date(city: Any, world: Any) -> None:
    issue = city["issue"]
    [row] = Client().get(f"{BASE}/requests/{issue.code}.json").json()
    assert set(row) == REQUEST_FIELDS
    assert row["service_request_id"] == issue.code
    assert row["status"] == "open"
    assert row["agency_responsible"] == world.dept.name
    assert row["service_code"] == "giao-thong" and row["service_name"] == "Giao thông"
    # feedback regime: 15 working days from today, at the end of that day, with the offset
    from phoihop.cases import deadlines

    due = deadlines.legal_due(issue).on
    assert row["expected_datetime"] == f"{due.isoformat()}T23:59:59+07:00"
    assert row["requested_datetime"].endswith("+07:00")
    # a matter received earlier than the issue was opened is requested on its reception day
    Issue.objects.filter(pk=issue.pk).update(received_on=dt.date(2026, 11, 8))
    [row] = Client().get(f"{BASE}/requests/{issue.code}.json").json()
    assert row["requested_datetime"] == "2026-11-08T00:00:00+07:00"
    assert row["address"] == "Phường Tam Thanh, Tỉnh Lạng Sơn"  # commune level only
    assert row["address_id"] == "6001"
    assert (row["lat"], row["long"]) == (21.85, 106.76)  # the commune's centre
    assert "Quy chế phối hợp" in row["service_notice"]


def test_requests_xml_root_and_fields(city: Any) -> None:
    root = _xml(Client().get(f"{BASE}/requests.xml"))
    assert root.tag == "service_requests"
    [request] = root.findall("request")
    assert {child.tag for child in request} == REQUEST_FIELDS
    assert request.findtext("status") == "open"


@pytest.mark.parametrize("fmt", ["xml", "json"])
def test_internal_issues_and_unknown_ids_are_not_found(city: Any, fmt: str) -> None:
    hidden = Client().get(f"{BASE}/requests/{city['internal'].code}.{fmt}")
    assert "Không có yêu cầu (service_request_id)" in _error(hidden, fmt, 404)
    assert _error(Client().get(f"{BASE}/requests/VD-0000.{fmt}"), fmt, 404)


def test_status_follows_the_issue_with_status_notes(city: Any) -> None:
    issue = city["issue"]
    client = Client()
    assert client.get(f"{BASE}/requests.json", {"status": "closed"}).json() == []
    Issue.objects.filter(pk=issue.pk).update(
        state=Issue.State.PUBLISHED,
        published_at=timezone.now(),
        answer="Đã vá ổ gà ngày 05/03.",
    )
    [row] = client.get(f"{BASE}/requests.json", {"status": "closed"}).json()
    assert row["status"] == "closed" and row["status_notes"] == "Đã vá ổ gà ngày 05/03."
    assert client.get(f"{BASE}/requests.json", {"status": "open"}).json() == []
    assert len(client.get(f"{BASE}/requests.json", {"status": "open,closed"}).json()) == 1


def test_filters_service_code_and_id_list(city: Any) -> None:
    client = Client()
    other = IssueFactory(
        field=FieldFactory(code="moi-truong", name="Môi trường"),
        visibility=Issue.Visibility.PUBLIC,
        state=Issue.State.ASSIGNED,
    )
    codes = {r["service_request_id"] for r in client.get(f"{BASE}/requests.json").json()}
    assert codes == {city["issue"].code, other.code}
    only = client.get(f"{BASE}/requests.json", {"service_code": "moi-truong"}).json()
    assert [r["service_request_id"] for r in only] == [other.code]
    by_id = client.get(
        f"{BASE}/requests.json",
        # the spec: with service_request_id the other parameters are ignored
        {"service_request_id": f"{other.code},{city['issue'].code}", "service_code": "x"},
    ).json()
    assert {r["service_request_id"] for r in by_id} == codes


def test_dates_default_to_the_last_90_days_and_filter(city: Any) -> None:
    client = Client()
    old = IssueFactory(visibility=Issue.Visibility.PUBLIC, state=Issue.State.ASSIGNED)
    Issue.objects.filter(pk=old.pk).update(created_at=timezone.now() - dt.timedelta(days=200))
    codes = {r["service_request_id"] for r in client.get(f"{BASE}/requests.json").json()}
    assert old.code not in codes and city["issue"].code in codes
    start = (timezone.now() - dt.timedelta(days=210)).isoformat()
    end = (timezone.now() - dt.timedelta(days=190)).isoformat()
    window = client.get(f"{BASE}/requests.json", {"start_date": start, "end_date": end}).json()
    assert [r["service_request_id"] for r in window] == [old.code]


@pytest.mark.parametrize("fmt", ["xml", "json"])
@pytest.mark.parametrize(
    ("params", "message"),
    [
        (
            {"start_date": "2025-01-01T00:00:00+07:00", "end_date": "2025-04-02T00:00:00+07:00"},
            "tối đa 90 ngày",
        ),
        (
            {"start_date": "2025-03-01T00:00:00Z", "end_date": "2025-02-01T00:00:00Z"},
            "không được sau",
        ),
        ({"start_date": "hôm qua"}, "start_date"),
        ({"end_date": "2025-13-45"}, "end_date"),
        ({"status": "pending"}, "status"),
    ],
)
def test_bad_get_parameters_are_400_errors(city: Any, fmt: str, params: Any, message: str) -> None:
    response = Client().get(f"{BASE}/requests.{fmt}", params)
    assert message in _error(response, fmt, 400)


# ---- POST requests and tokens -------------------------------------------------------------


def _post(fmt: str = "json", **fields: Any) -> Any:
    return Client().post(f"{BASE}/requests.{fmt}", fields, REMOTE_ADDR="10.1.1.1")


@pytest.mark.parametrize("fmt", ["xml", "json"])
def test_post_becomes_a_feedback_signal_and_answers_a_token(city: Any, fmt: str) -> None:
    response = _post(
        fmt,
        api_key=city["key"],
        service_code="giao-thong",
        lat="21.851",
        long="106.761",
        description="Ổ gà sâu trước số 12 Bà Triệu, xe máy dễ ngã",
        first_name="Lan",
        last_name="Nguyễn",
        email="lan@example.com",
        jurisdiction_id="langson.gov.vn",
    )
    assert response.status_code == 200
    signal = Signal.objects.get()
    assert signal.channel == Signal.Channel.FEEDBACK and signal.place == city["commune"]
    assert signal.metadata["open311_service_code"] == "giao-thong"
    assert signal.metadata["name"] == "Nguyễn Lan" or signal.metadata["name"] == "Lan Nguyễn"
    if fmt == "json":
        [row] = response.json()
    else:
        root = _xml(response)
        assert root.tag == "service_requests"
        row = {child.tag: child.text or "" for child in root.find("request")}  # type: ignore[union-attr]
    assert row["token"] == signal.tracking_code
    assert row["service_request_id"] == ""  # not yet an issue: follow the token
    assert "service_notice" in row and "account_id" in row


def test_the_token_leads_to_the_request_once_it_is_a_public_issue(city: Any) -> None:
    [row] = _post(
        api_key=city["key"],
        service_code="giao-thong",
        address_string="Phường Tam Thanh, Lạng Sơn",
        description="Đèn tín hiệu ngã tư hỏng",
    ).json()
    token = row["token"]
    client = Client()
    [pending] = client.get(f"{BASE}/tokens/{token}.json").json()
    assert pending == {"service_request_id": "", "token": token}
    Signal.objects.filter(tracking_code=token).update(issue=city["issue"])
    [found] = client.get(f"{BASE}/tokens/{token}.json").json()
    assert found == {"service_request_id": city["issue"].code, "token": token}
    root = _xml(client.get(f"{BASE}/tokens/{token}.xml"))
    assert root.find("request/service_request_id").text == city["issue"].code  # type: ignore[union-attr]
    assert _error(client.get(f"{BASE}/tokens/PA-XXXX-XXXX.json"), "json", 404)
    bare = token.replace("-", "").lower()  # typed as a citizen reads it out: found all the same
    assert client.get(f"{BASE}/tokens/{bare}.json").json() == [found]


def test_an_email_that_is_not_one_is_refused_naming_it(city: Any) -> None:
    response = _post(
        api_key=city["key"],
        service_code="giao-thong",
        address_string="Phường Tam Thanh, Lạng Sơn",
        description="Đèn tín hiệu ngã tư hỏng",
        email="notanemail",
    )
    assert "email" in _error(response, "json", 400)
    assert not Signal.objects.filter(raw_text__contains="Đèn tín hiệu ngã tư hỏng").exists()


def test_posting_twice_stores_one_signal(city: Any) -> None:
    fields = {
        "api_key": city["key"],
        "service_code": "giao-thong",
        "address_id": "6001",
        "description": "Cây đổ chắn đường",
    }
    first = _post(**fields).json()[0]["token"]
    second = _post(**fields).json()[0]["token"]
    assert first == second and Signal.objects.count() == 1


@pytest.mark.parametrize("fmt", ["xml", "json"])
@pytest.mark.parametrize(
    ("fields", "status", "message"),
    [
        ({"api_key": ""}, 403, "api_key"),
        ({"api_key": "ph_sai"}, 403, "api_key"),
        ({"service_code": ""}, 400, "Thiếu lĩnh vực (service_code)"),
        ({"service_code": "khong-co"}, 404, "Không có lĩnh vực (service_code)"),
        ({"lat": "", "long": ""}, 400, "Cần địa điểm (location)"),
        ({"lat": "abc"}, 400, "lat phải là số"),
        ({"lat": "", "long": "", "address_id": "99999"}, 400, "(address_id) «99999»"),
        ({"description": ""}, 400, "Thiếu nội dung phản ánh (description)"),
        ({"jurisdiction_id": "hanoi.gov.vn"}, 404, "jurisdiction_id"),
    ],
)
def test_post_errors(
    city: Any, fmt: str, fields: dict[str, str], status: int, message: str
) -> None:
    data = {
        "api_key": city["key"],
        "service_code": "giao-thong",
        "lat": "21.85",
        "long": "106.76",
        "description": "Rác thải ùn ứ",
    }
    data.update(fields)
    assert message in _error(_post(fmt, **data), fmt, status)
    assert Signal.objects.count() == 0


def test_a_key_without_the_right_to_submit_is_refused(city: Any, world: Any) -> None:
    _token, key = token_create(user=world.viewer, name="chỉ xem")
    response = _post(api_key=key, service_code="giao-thong", address_id="6001", description="X y z")
    assert "không được phép gửi" in _error(response, "json", 403)


def test_only_get_and_post(city: Any) -> None:
    response = Client().delete(f"{BASE}/requests.json")
    assert response["Allow"] == "GET, POST"
    assert _error(response, "json", 405) == "Không hỗ trợ phương thức DELETE; dùng GET hoặc POST."
    assert _error(Client().post(f"{BASE}/services.xml"), "xml", 405)


def test_the_open_data_never_carries_names_or_contacts(city: Any) -> None:
    _post(
        api_key=city["key"],
        service_code="giao-thong",
        address_id="6001",
        description="Nắp cống vỡ",
        first_name="Bí",
        last_name="Mật",
        phone="0911222333",
    )
    Signal.objects.update(issue=city["issue"])
    Issue.objects.filter(pk=city["issue"].pk).update(title="Nắp cống vỡ, gọi 0911222333")
    for fmt in ("xml", "json"):
        body = Client().get(f"{BASE}/requests.{fmt}").content.decode()
        assert "0911222333" not in body and "Bí" not in body and "Mật" not in body


def test_an_issue_opened_from_a_request_is_titled_with_the_citizens_words(
    city: Any, world: Any
) -> None:
    """The service's name is the field, not a title: accepted on the signal page, the new
    issue reads the citizen's first sentence in the staff list, on /van-de/ and here."""
    from phoihop.triaging import runtime
    from phoihop.triaging import services as triaging

    runtime.forget()
    [row] = _post(
        api_key=city["key"],
        service_code="giao-thong",
        address_id="6001",
        description="Khói bụi từ trạm trộn bê tông bay vào khu dân cư tổ 3 suốt cả ngày đêm. "
        "Người dân đã nhiều lần phản ánh nhưng chưa được giải quyết.",
    ).json()
    signal = Signal.objects.get(tracking_code=row["token"])
    assert signal.title == ""
    triaging.triage_signals(signal_ids=[signal.pk])
    client = Client()
    client.force_login(world.coordinator)
    response = client.post(
        f"/cong-viec/tiep-nhan/{signal.pk}/de-xuat/chap-nhan/", {"visibility": "public"}
    )
    assert response.status_code == 302
    signal.refresh_from_db()
    issue = signal.issue
    assert issue is not None
    title = "Khói bụi từ trạm trộn bê tông bay vào khu dân cư tổ 3 suốt cả ngày đêm"
    assert issue.title == title
    assert title in client.get("/cong-viec/van-de/").content.decode()
    if issue.state == Issue.State.RECEIVED:  # the engine had nothing to learn the field from
        case_services.issue_classify(issue=issue, by=world.coordinator, field=city["field"])
    assert title in Client().get(f"/van-de/{issue.code}/").content.decode()
    [request] = Client().get(f"{BASE}/requests/{issue.code}.json").json()
    assert request["description"] == title
