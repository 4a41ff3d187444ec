"""Choices for agency and commune pickers, in the order a Vietnamese official looks for them:
agencies grouped (departments first, then communes, then the others), names in Vietnamese
alphabetical order. The choices are set on the form field; validation still goes through
the field's queryset. The pickers are written out in Python (`PythonSelect`): Django's
template per option cost more than the rest of a staff page for the province's communes."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

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


class PythonSelect(forms.Select):
    """Django's <select> markup (attributes, option groups, the selected option), written in
    Python rather than through a template include per option."""

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]
        html: list[str] = [
            format_html('<select name="{}"{}>', widget["name"], flatatt(widget["attrs"]))
        ]
        for group, options, _index in widget["optgroups"]:
            if group:
                html.append(format_html('<optgroup label="{}">', group))
            html.extend(
                format_html(
                    '<option value="{}"{}>{}</option>',
                    option["value"],
                    flatatt(option["attrs"]),
                    option["label"],
                )
                for option in options
            )
            if group:
                html.append("</optgroup>")
        html.append("</select>")
        return mark_safe("".join(html))  # noqa: S308 - every part went through format_html


def _python_select(field: forms.Field) -> None:
    if type(field.widget) is forms.Select:
        widget = PythonSelect(attrs=field.widget.attrs)
        widget.is_required = field.widget.is_required
        field.widget = widget


def _empty(field: forms.ModelChoiceField[Any]) -> list[tuple[Any, Any]]:
    return [] if field.empty_label is None else [("", field.empty_label)]


def collate_communes(field: forms.Field) -> None:
    """Communes in Vietnamese order (prefixes «Xã», «Phường» set aside), searchable."""
    assert isinstance(field, forms.ModelChoiceField)
    units: Iterable[AdministrativeUnit] = field.queryset  # type: ignore[assignment]
    ordered = sorted(units, key=lambda unit: sort_key(unit.name))
    _python_select(field)
    field.choices = [*_empty(field), *((u.pk, u.name) for u in ordered)]
    field.widget.attrs.update(SEARCHABLE)


def group_agencies(field: forms.Field) -> None:
    """Agencies under one heading per kind, departments first, each in Vietnamese order."""
    assert isinstance(field, forms.ModelChoiceField)
    agencies: Iterable[Agency] = field.queryset  # type: ignore[assignment]
    groups: dict[str, list[Agency]] = {}
    for agency in agencies:
        groups.setdefault(agency.kind, []).append(agency)
    labels = dict(K.choices)
    choices: list[tuple[Any, Any]] = _empty(field)
    for kind in [*GROUP_ORDER, *(k for k in groups if k not in GROUP_ORDER)]:
        if kind in groups:
            members = sorted(groups[kind], key=lambda a: sort_key(a.name, drop_prefix=False))
            choices.append((str(labels.get(kind, _("Khác"))), [(a.pk, a.name) for a in members]))
    _python_select(field)
    field.choices = choices
    field.widget.attrs.update(SEARCHABLE)
