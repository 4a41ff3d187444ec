"""Choices for agency and commune pickers, in the order a Vietnamese official looks for them:
agencies grouped (departments first, then communes, then the others), names in Vietnamese
alphabetical order. The choices are set on the form field; validation still goes through
the field's queryset. The pickers are written out in Python (`PythonSelect`): Django's
template per option cost more than the rest of a staff page for the province's communes.

With `PHOIHOP_STAFF_CACHE_SECONDS`, each process keeps the choices it built per generation of
the staff data (`core.writes`), the language and the queryset's SQL: a new agency or commune
shows on the next page, while pages in between skip the query and the Vietnamese sort."""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from html import escape
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.db.models import QuerySet
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from phoihop.core import writes
from phoihop.core.collation import sort_key
from phoihop.core.models import AdministrativeUnit, Agency

K = Agency.Kind
GROUP_ORDER = [
    K.DEPARTMENT,
    K.COMMUNE,
    K.PEOPLES_COMMITTEE,
    K.COURT,
    K.PROCURACY,
    K.COUNCIL,
    K.PARTY,
    K.OTHER,
]
SEARCHABLE = {"data-searchable": "1"}
SEARCH_FROM = 2  # a longer list gets a search box (someone's own agency or two need none)


def _attributes(attrs: dict[str, Any]) -> str:
    """As Django's attrs.html writes them: in order, True as a bare name, False left out."""
    return "".join(
        f" {escape(name)}" if value is True else f' {escape(name)}="{escape(str(value))}"'
        for name, value in attrs.items()
        if value is not False
    )


class PythonSelect(forms.Select):
    """Django's <select> markup (attributes, option groups, the selected option: the first
    choice matching the value, as `ChoiceWidget.optgroups` picks it), written in Python rather
    than through a template include, or a dictionary, per option."""

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        values = self.format_value(value)
        chosen = False
        html = [f'<select name="{escape(name)}"{_attributes(self.build_attrs(self.attrs, attrs))}>']
        for group, label in self.choices:
            grouped = isinstance(label, (list, tuple))
            options = label if grouped else [("" if group is None else group, label)]
            if grouped and group:
                html.append(f'<optgroup label="{escape(str(group))}">')
            for option, text in options:
                selected = not chosen and str(option) in values
                chosen |= selected
                html.append(
                    f'<option value="{escape(str(option))}"{" selected" if selected else ""}>'
                    f"{escape(str(text))}</option>"
                )
            if grouped and group:
                html.append("</optgroup>")
        html.append("</select>")
        return mark_safe("".join(html))  # noqa: S308 - every value and label is escaped


def _python_select(field: forms.Field) -> None:
    if type(field.widget) is forms.Select:
        widget = PythonSelect(attrs=field.widget.attrs)
        widget.is_required = field.widget.is_required
        field.widget = widget


def _empty(field: forms.ModelChoiceField[Any]) -> list[tuple[Any, Any]]:
    return [] if field.empty_label is None else [("", field.empty_label)]


Choices = list[tuple[Any, Any]]
_KEPT: OrderedDict[tuple[int, str, str, str], tuple[float, Choices]] = OrderedDict()
_KEPT_MAX = 64
_kept_lock = threading.Lock()


def _kept(purpose: str, queryset: QuerySet[Any], build: Callable[[], Choices]) -> Choices:
    """`build()`, or what it gave for the same purpose and query since the last change of the
    data."""
    seconds = int(settings.PHOIHOP_STAFF_CACHE_SECONDS)
    if seconds <= 0:
        return build()
    try:
        sql = str(queryset.query)
    except EmptyResultSet:  # .none(): nothing to keep
        return build()
    key = (writes.generation(), translation.get_language() or "", purpose, sql)
    now = time.monotonic()
    with _kept_lock:
        hit = _KEPT.get(key)
    if hit is not None and hit[0] > now:
        return hit[1]
    choices = build()
    with _kept_lock:
        _KEPT[key] = (now + seconds, choices)
        _KEPT.move_to_end(key)
        while len(_KEPT) > _KEPT_MAX:
            _KEPT.popitem(last=False)
    return choices


def collate_communes(field: forms.Field) -> None:
    """Communes in Vietnamese order (prefixes «Xã», «Phường» set aside), searchable."""
    assert isinstance(field, forms.ModelChoiceField)
    units: QuerySet[AdministrativeUnit] = field.queryset  # type: ignore[assignment]

    def build() -> Choices:
        return [(u.pk, u.name) for u in sorted(units, key=lambda unit: sort_key(unit.name))]

    choices = _kept("communes", units, build)
    _python_select(field)
    field.choices = [*_empty(field), *choices]
    field.widget.attrs.update(SEARCHABLE)


def group_agencies(field: forms.Field, *, first: tuple[str, ...] = ()) -> None:
    """Agencies under one heading per kind, departments first (or the kinds in `first`, where
    the usual answer is of another kind), each in Vietnamese order."""
    assert isinstance(field, forms.ModelChoiceField)
    order = [*first, *(k for k in GROUP_ORDER if k not in first)]
    agencies: QuerySet[Agency] = field.queryset  # type: ignore[assignment]

    def build() -> Choices:
        groups: dict[str, list[Agency]] = {}
        for agency in agencies:
            groups.setdefault(agency.kind, []).append(agency)
        labels = dict(K.choices)
        choices: Choices = []
        for kind in [*order, *(k for k in groups if k not in order)]:
            if kind in groups:
                members = sorted(groups[kind], key=lambda a: sort_key(a.name, drop_prefix=False))
                label = str(labels.get(kind, _("Khác")))
                choices.append((label, [(a.pk, a.name) for a in members]))
        return choices

    choices = _kept(f"agencies:{','.join(order)}", agencies, build)
    _python_select(field)
    field.choices = [*_empty(field), *choices]
    if sum(len(options) for _kind, options in choices) > SEARCH_FROM:
        field.widget.attrs.update(SEARCHABLE)


def model_choices(field: forms.Field) -> None:
    """A plain model picker (labels as the field gives them, in the queryset's order) written
    out in Python, its choices kept like the others'."""
    assert isinstance(field, forms.ModelChoiceField)
    rows: QuerySet[Any] = field.queryset  # type: ignore[assignment]
    labels = type(field).label_from_instance
    purpose = f"labels:{labels.__module__}.{labels.__qualname__}"
    choices = _kept(purpose, rows, lambda: [(o.pk, field.label_from_instance(o)) for o in rows])
    _python_select(field)
    field.choices = [*_empty(field), *choices]


def choose_the_only_one(field: forms.Field, *, needed: bool = False) -> None:
    """A required picker with a single possible answer (the one agency someone works for)
    starts on it, rather than on «---------» and a «required» error; ``needed``: also a picker
    the form requires only for some choices elsewhere (the meeting of a conclusions notice)."""
    assert isinstance(field, forms.ModelChoiceField)
    rows = list(field.queryset[:2])  # type: ignore[index]
    if (field.required or needed) and len(rows) == 1:
        field.initial = rows[0].pk
