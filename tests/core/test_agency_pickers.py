"""Every staff form's agency picker: grouped by kind, each group in Vietnamese alphabetical
order («Bắc Sơn» before «Bình Gia», «Đông Kinh» right after «D…»), as the assign form's."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django import forms
from tests.factories import AgencyFactory

from phoihop.core.collation import sort_key
from phoihop.core.models import Agency
from phoihop.factcheck.forms import ClaimForm, DraftForm
from phoihop.portal.forms import ArticleForm
from phoihop.programme.forms import (
    CommendationForm,
    DecisionTaskForm,
    ExemplaryForm,
    MeetingForm,
    ProgressForm,
    TaskForm,
)

pytestmark = pytest.mark.django_db

COMMUNES = ["UBND Xã Bình Gia", "UBND Xã Bắc Sơn", "UBND Phường Tam Thanh", "UBND Phường Đông Kinh"]


def _every(world: Any) -> set[int]:
    return set(Agency.objects.values_list("pk", flat=True))


FORMS: list[tuple[Callable[[Any], forms.Form], list[str]]] = [
    (lambda w: ClaimForm(), ["competent_agency"]),
    (lambda w: DraftForm(), ["confirming_agency"]),
    (lambda w: ArticleForm(user=w.coordinator), ["source_agency"]),
    (lambda w: TaskForm(), ["lead_agency", "coordinating_agencies"]),
    (lambda w: DecisionTaskForm(), ["lead_agency", "coordinating_agencies"]),
    (lambda w: MeetingForm(), ["attendees"]),
    (lambda w: ProgressForm(agency_ids=_every(w)), ["agency"]),
    (lambda w: ExemplaryForm(agency_ids=_every(w)), ["proposing_agency"]),
    (
        lambda w: CommendationForm(agency_ids=_every(w)),
        ["proposing_agency", "reviewing_agency", "approving_agency"],
    ),
]


@pytest.mark.parametrize(
    "make, names", FORMS, ids=[names[0] + str(i) for i, (_m, names) in enumerate(FORMS)]
)
def test_agency_pickers_are_grouped_in_vietnamese_order(
    world: Any, make: Callable[[Any], forms.Form], names: list[str]
) -> None:
    for i, name in enumerate(COMMUNES):
        AgencyFactory(code=f"xa-{i}", name=name, kind=Agency.Kind.COMMUNE)
    form = make(world)
    for name in names:
        groups = [c for c in form.fields[name].choices if isinstance(c[1], (list, tuple))]
        assert groups, f"{name}: agencies are not grouped by kind"
        for label, options in groups:
            shown = [str(text) for _pk, text in options]
            assert shown == sorted(shown, key=lambda n: sort_key(n, drop_prefix=False)), label
        communes = next(options for _label, options in groups if len(options) >= 4)
        assert [str(text) for _pk, text in communes][:4] == [
            "UBND Phường Đông Kinh",
            "UBND Phường Tam Thanh",
            "UBND Xã Bắc Sơn",
            "UBND Xã Bình Gia",
        ]
