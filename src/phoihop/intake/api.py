"""API endpoints of intake (mounted under /api/signals): submit signals singly or in batches."""

import datetime as dt
from typing import Any, Literal

from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from phoihop.core.models import User
from phoihop.core.pagination import MAX_PAGE_SIZE, BoundedPages
from phoihop.intake import selectors, services
from phoihop.intake.models import Signal

router = Router(tags=["Tín hiệu"])

ChannelName = Literal["petition", "feedback", "news", "social", "collaborator", "api"]


class SignalIn(Schema):
    channel: ChannelName = "api"
    text: str = Field(..., max_length=20_000)
    title: str = Field("", max_length=500)
    url: str = Field("", max_length=2000)
    source: str = Field("", max_length=400, description="tên hệ thống/nguồn gửi")
    external_id: str = Field("", max_length=500, description="mã ở nguồn (mã bài đăng…)")
    occurred_at: dt.datetime | None = None
    place: int | None = Field(None, description="mã đơn vị hành chính (xã, phường)")
    round: str = Field("", max_length=255, description="đợt tiếp xúc cử tri (kiến nghị)")
    name: str = Field("", max_length=200)
    contact: str = Field("", max_length=200)
    deputy: str = Field("", max_length=200)
    platform: str = Field("", max_length=60)
    author: str = Field("", max_length=200)
    reactions: int | None = None
    shares: int | None = None
    comments: int | None = None
    metadata: dict[str, Any] = Field(default_factory=dict)


class SignalBatchIn(Schema):
    signals: list[SignalIn] = Field(..., min_length=1, max_length=1000)


class SignalOut(Schema):
    id: int
    channel: str
    source: str
    external_id: str
    title: str
    text: str
    url: str
    place: int | None
    occurred_at: dt.datetime | None
    received_at: dt.datetime
    content_hash: str
    tracking_code: str | None
    issue: str | None

    @staticmethod
    def resolve_place(obj: Signal) -> int | None:
        return obj.place.code if obj.place else None

    @staticmethod
    def resolve_issue(obj: Signal) -> str | None:
        return obj.issue.code if obj.issue else None


class ReceivedOut(Schema):
    created: bool
    signal: SignalOut


class BatchOut(Schema):
    new: int
    known: int
    ids: list[int]


class SignalFilterIn(Schema):
    channel: ChannelName | None = None
    q: str = ""


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


@router.get("", response=list[SignalOut], summary="Danh sách tín hiệu được xem")
@paginate(BoundedPages, page_size=50, max_page_size=MAX_PAGE_SIZE)
def list_signals(request: HttpRequest, filters: Query[SignalFilterIn]) -> Any:
    return selectors.signals_visible_to(
        user=_user(request),
        filters=selectors.SignalFilters(channel=filters.channel or "", q=filters.q),
    )


@router.get("/{int:signal_id}", response=SignalOut, summary="Chi tiết tín hiệu")
def get_signal(request: HttpRequest, signal_id: int) -> Signal:
    signal = selectors.signal_for(user=_user(request), pk=signal_id)
    if signal is None:
        raise Http404
    return signal


@router.post(
    "",
    response={200: ReceivedOut, 201: ReceivedOut},
    summary="Gửi một tín hiệu (đã có thì trả lại tín hiệu cũ, 200)",
)
def submit_signal(request: HttpRequest, payload: SignalIn) -> Status[dict[str, Any]]:
    receipt = services.signals_receive(by=_user(request), items=[payload.dict()], single=True)
    received = receipt.signals[0]
    return Status(
        201 if received.created else 200,
        {"created": received.created, "signal": received.signal},
    )


@router.post(
    "/batch",
    response={200: BatchOut, 201: BatchOut},
    summary="Gửi nhiều tín hiệu: kiểm tra tất cả, lưu tất cả hoặc không lưu gì",
)
def submit_batch(request: HttpRequest, payload: SignalBatchIn) -> Status[dict[str, Any]]:
    receipt = services.signals_receive(
        by=_user(request), items=[item.dict() for item in payload.signals]
    )
    return Status(
        201 if receipt.new else 200,
        {
            "new": receipt.new,
            "known": receipt.known,
            "ids": [received.signal.pk for received in receipt.signals],
        },
    )
