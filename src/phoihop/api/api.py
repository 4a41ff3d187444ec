"""The HTTP API (django-ninja), OpenAPI at /api/docs. Same services, same policy as the UI."""

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from ninja import NinjaAPI, Query, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.pagination import paginate
from ninja.responses import Status
from ninja.security import HttpBearer, django_auth
from pydantic import Field as PydanticField

from phoihop.api import titles
from phoihop.api.services import user_for_key
from phoihop.cases import selectors, services
from phoihop.cases.models import Assignment, Issue
from phoihop.core import policy
from phoihop.core.models import AdministrativeUnit, Agency, DeadlineRule, Field, User
from phoihop.core.pagination import MAX_PAGE_SIZE, BoundedPages


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        user = user_for_key(token)
        if user is not None:
            request.user = user
        return user


class VietnameseAPI(NinjaAPI):
    """NinjaAPI whose schema titles its fields in Vietnamese (`titles.in_vietnamese`)."""

    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> Any:
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        return titles.in_vietnamese(schema)


api = VietnameseAPI(
    title="phoihop API",
    version="1",
    description="API của hệ thống phối hợp: vấn đề, giao xử lý, ý kiến, trả lời.",
    auth=[TokenAuth(), django_auth],
    urls_namespace="api",
)


def _errors(items: list[tuple[str, str]], status: int, request: HttpRequest) -> HttpResponse:
    return api.create_response(
        request,
        {"errors": [{"field": field, "message": message} for field, message in items]},
        status=status,
    )


@api.exception_handler(DjangoValidationError)
def on_validation_error(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
    if hasattr(exc, "error_dict"):
        items = [(field, msg) for field, msgs in exc.message_dict.items() for msg in msgs]
    else:
        items = [("__all__", msg) for msg in exc.messages]
    return _errors(items, 400, request)


_PYDANTIC_MESSAGES = {
    "missing": "Thiếu trường bắt buộc.",
    "string_too_short": "Không được để trống.",
    "string_too_long": "Nội dung quá dài.",
    "date_from_datetime_parsing": "Ngày không hợp lệ (định dạng YYYY-MM-DD).",
    "date_parsing": "Ngày không hợp lệ (định dạng YYYY-MM-DD).",
    "int_parsing": "Cần một số nguyên.",
    "enum": "Giá trị không nằm trong danh sách cho phép.",
    "literal_error": "Giá trị không nằm trong danh sách cho phép.",
    "json_invalid": "Nội dung JSON không hợp lệ.",
}


def _field_path(loc: Any) -> str:
    """A pydantic location as the services name fields: ("signals", 2, "text") is
    «signals[2].text» (0-based, as in the batch service's own errors)."""
    path = ""
    for part in loc:
        if part in ("body", "payload", "query", "path"):
            continue
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path += f".{part}" if path else str(part)
    return path


@api.exception_handler(NinjaValidationError)
def on_schema_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    items = []
    for error in exc.errors:
        field = _field_path(error.get("loc", ())) or "__all__"
        message = _PYDANTIC_MESSAGES.get(error.get("type", ""), "Giá trị không hợp lệ.")
        limit = (error.get("ctx") or {}).get("max_length")
        if error.get("type") == "string_too_long" and limit is not None:
            message = f"Nội dung quá dài (tối đa {limit} ký tự)."
        items.append((field, message))
    return _errors(items, 422, request)


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    # ninja raises HttpError(400, "Cannot parse request body") for a body that is not JSON:
    # the documented error format, in Vietnamese, like every other bad input
    if exc.status_code == 400 and str(exc).startswith("Cannot parse request body"):
        return _errors([("body", "Nội dung gửi lên không phải JSON hợp lệ.")], 400, request)
    return api.create_response(request, {"detail": str(exc)}, status=exc.status_code)


@api.exception_handler(PermissionDenied)
def on_forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return api.create_response(
        request, {"detail": str(exc) or "Bạn không có quyền thực hiện thao tác này."}, status=403
    )


@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return api.create_response(request, {"detail": "Không tìm thấy."}, status=404)


@api.exception_handler(AuthenticationError)
def on_unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return api.create_response(
        request, {"detail": "Cần xác thực bằng khóa API (Authorization: Bearer …)."}, status=401
    )


from phoihop.intake.api import router as intake_router  # noqa: E402

api.add_router("/signals", intake_router)


# ---- schemas ------------------------------------------------------------------------


class AssignmentOut(Schema):
    id: int
    agency: str
    agency_name: str
    role: str
    state: str
    deadline: dt.date
    overdue: bool
    return_reason: str

    @staticmethod
    def resolve_agency(obj: Assignment) -> str:
        return obj.agency.code

    @staticmethod
    def resolve_overdue(obj: Assignment) -> bool:
        return selectors.is_overdue(obj)


class IssueOut(Schema):
    id: int
    code: str
    title: str
    description: str
    field: str | None
    place: int | None
    urgency: str
    visibility: str
    state: str
    received_on: dt.date
    competence: str
    answer: str
    outcome: str
    roadmap: str
    assignments: list[AssignmentOut]

    @staticmethod
    def resolve_field(obj: Issue) -> str | None:
        return obj.field.code if obj.field else None

    @staticmethod
    def resolve_place(obj: Issue) -> int | None:
        return obj.place.code if obj.place else None

    @staticmethod
    def resolve_assignments(obj: Issue) -> list[Assignment]:
        return list(obj.assignments.all())


class IssueIn(Schema):
    # the model's length, checked here: a longer title is a 422 naming «title», not a 201
    title: str = PydanticField(max_length=Issue._meta.get_field("title").max_length)
    description: str = ""
    field: str | None = None
    place: int | None = None
    urgency: DeadlineRule.Urgency = DeadlineRule.Urgency.NORMAL
    visibility: Issue.Visibility = Issue.Visibility.INTERNAL
    received_on: dt.date | None = None


class ClassifyIn(Schema):
    field: str
    urgency: DeadlineRule.Urgency | None = None
    visibility: Issue.Visibility | None = None
    place: int | None = None
    competence: Issue.Competence | None = None


class AssignIn(Schema):
    agency: str
    role: Assignment.Role = Assignment.Role.LEAD
    deadline: dt.date | None = None


class TextIn(Schema):
    text: str


class AnswerIn(Schema):
    text: str
    outcome: Issue.Outcome = Issue.Outcome.RESOLVED
    roadmap: str = ""


class ReasonIn(Schema):
    reason: str


class IssueFilterIn(Schema):
    state: Issue.State | None = None
    field: str | None = None
    agency: str | None = None
    place: int | None = None
    overdue: bool = False
    q: str = ""


class ResponseOut(Schema):
    id: int
    assignment: int
    text: str

    @staticmethod
    def resolve_assignment(obj: Any) -> int:
        return int(obj.assignment_id)


# ---- lookups ----------------------------------------------------------------------


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _field(code: str | None, name: str = "field") -> Field | None:
    if code is None:
        return None
    field = Field.objects.filter(code=code, is_active=True).first()
    if field is None:
        raise DjangoValidationError({name: f"Không có lĩnh vực với mã «{code}»."})
    return field


def _place(code: int | None) -> AdministrativeUnit | None:
    if code is None:
        return None
    place = AdministrativeUnit.objects.filter(code=code).order_by("level").first()
    if place is None:
        raise DjangoValidationError({"place": f"Không có đơn vị hành chính với mã {code}."})
    return place


def _agency(code: str) -> Agency:
    agency = Agency.objects.filter(code=code).first()
    if agency is None:
        raise DjangoValidationError({"agency": f"Không có cơ quan với mã «{code}»."})
    return agency


def _issue(request: HttpRequest, issue_id: int) -> Issue:
    issue = selectors.issue_for(user=_user(request), pk=issue_id)
    if issue is None:
        raise Http404
    return issue


def _assignment(request: HttpRequest, assignment_id: int) -> Assignment:
    assignment = get_object_or_404(Assignment.objects.select_related("issue"), pk=assignment_id)
    _issue(request, assignment.issue_id)  # 404 unless the issue is visible
    return assignment


# ---- endpoints ----------------------------------------------------------------------


@api.get("/issues", response=list[IssueOut], tags=["Vấn đề"], summary="Danh sách vấn đề")
@paginate(BoundedPages, page_size=50, max_page_size=MAX_PAGE_SIZE)
def list_issues(request: HttpRequest, filters: Query[IssueFilterIn]) -> Any:
    agency_id = _agency(filters.agency).pk if filters.agency else None
    field = _field(filters.field)
    place = _place(filters.place)
    return selectors.issues_visible_to(
        user=_user(request),
        filters=selectors.IssueFilters(
            state=filters.state or "",
            field=field.pk if field else None,
            agency=agency_id,
            place=place.pk if place else None,
            overdue=filters.overdue,
            q=filters.q,
        ),
    )


@api.get("/issues/{issue_id}", response=IssueOut, tags=["Vấn đề"], summary="Chi tiết vấn đề")
def get_issue(request: HttpRequest, issue_id: int) -> Issue:
    return _issue(request, issue_id)


@api.post("/issues", response={201: IssueOut}, tags=["Vấn đề"], summary="Tiếp nhận vấn đề")
def create_issue(request: HttpRequest, payload: IssueIn) -> Status[Issue]:
    user = _user(request)
    policy.require(user, "cases.issue_create")
    issue = services.issue_create(
        by=user,
        title=payload.title,
        description=payload.description,
        field=_field(payload.field),
        place=_place(payload.place),
        urgency=payload.urgency,
        visibility=payload.visibility,
        received_on=payload.received_on,
    )
    return Status(201, _issue(request, issue.pk))


@api.post(
    "/issues/{issue_id}/classify",
    response=IssueOut,
    tags=["Chuyển trạng thái"],
    summary="Phân loại vấn đề (lĩnh vực, độ khẩn, địa bàn, thẩm quyền)",
)
def classify_issue(request: HttpRequest, issue_id: int, payload: ClassifyIn) -> Issue:
    issue = _issue(request, issue_id)
    services.issue_classify(
        issue=issue,
        by=_user(request),
        field=_field(payload.field),  # type: ignore[arg-type]
        urgency=payload.urgency,
        visibility=payload.visibility,
        place=_place(payload.place),
        competence=payload.competence,
    )
    return _issue(request, issue_id)


@api.post(
    "/issues/{issue_id}/assignments",
    response={201: AssignmentOut},
    tags=["Giao xử lý"],
    summary="Giao (hoặc giao lại) cho cơ quan",
)
def assign_issue(request: HttpRequest, issue_id: int, payload: AssignIn) -> Status[Assignment]:
    issue = _issue(request, issue_id)
    assignment = services.issue_assign(
        issue=issue,
        by=_user(request),
        agency=_agency(payload.agency),
        role=payload.role,
        deadline=payload.deadline,
    )
    return Status(201, assignment)


@api.post(
    "/assignments/{assignment_id}/accept",
    response=AssignmentOut,
    tags=["Giao xử lý"],
    summary="Cơ quan tiếp nhận việc được giao",
)
def accept_assignment(request: HttpRequest, assignment_id: int) -> Assignment:
    return services.assignment_accept(
        assignment=_assignment(request, assignment_id), by=_user(request)
    )


@api.post(
    "/assignments/{assignment_id}/return",
    response=AssignmentOut,
    tags=["Giao xử lý"],
    summary="Trả lại việc không thuộc thẩm quyền (nêu lý do)",
)
def return_assignment(request: HttpRequest, assignment_id: int, payload: ReasonIn) -> Assignment:
    return services.assignment_return(
        assignment=_assignment(request, assignment_id), by=_user(request), reason=payload.reason
    )


@api.post(
    "/assignments/{assignment_id}/responses",
    response={201: ResponseOut},
    tags=["Giao xử lý"],
    summary="Gửi ý kiến xử lý của cơ quan",
)
def respond_assignment(request: HttpRequest, assignment_id: int, payload: TextIn) -> Any:
    response = services.assignment_respond(
        assignment=_assignment(request, assignment_id), by=_user(request), text=payload.text
    )
    return Status(201, response)


@api.post(
    "/issues/{issue_id}/answer",
    response=IssueOut,
    tags=["Chuyển trạng thái"],
    summary="Duyệt trả lời chính thức",
)
def answer_issue(request: HttpRequest, issue_id: int, payload: AnswerIn) -> Issue:
    services.issue_answer(
        issue=_issue(request, issue_id),
        by=_user(request),
        text=payload.text,
        outcome=payload.outcome,
        roadmap=payload.roadmap,
    )
    return _issue(request, issue_id)


@api.post(
    "/issues/{issue_id}/publish",
    response=IssueOut,
    tags=["Chuyển trạng thái"],
    summary="Đăng công khai trả lời lên cổng thông tin",
)
def publish_issue(request: HttpRequest, issue_id: int) -> Issue:
    services.issue_publish(issue=_issue(request, issue_id), by=_user(request))
    return _issue(request, issue_id)


@api.post(
    "/issues/{issue_id}/close",
    response=IssueOut,
    tags=["Chuyển trạng thái"],
    summary="Đóng vấn đề",
)
def close_issue(request: HttpRequest, issue_id: int) -> Issue:
    services.issue_close(issue=_issue(request, issue_id), by=_user(request))
    return _issue(request, issue_id)
