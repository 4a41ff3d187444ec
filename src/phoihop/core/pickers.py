"""Choices for agency and commune pickers, in the order a Vietnamese official looks for them:
agencies grouped (departments first, then communes, then the others), names in Vietnamese
alphabetical order. The choices are set on the form field; validation still goes through
the field's queryset."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
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


def _empty(field: forms.ModelChoiceField[Any]) -> list[tuple[Any, Any]]:
    return [] if field.empty_label is None else [("", field.empty_label)]


def collate_communes(field: forms.Field) -> None:
    """Communes in Vietnamese order (prefixes «Xã», «Phường» set aside), searchable."""
    assert isinstance(field, forms.ModelChoiceField)
    units: Iterable[AdministrativeUnit] = field.queryset  # type: ignore[assignment]
    ordered = sorted(units, key=lambda unit: sort_key(unit.name))
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
    field.choices = choices
    field.widget.attrs.update(SEARCHABLE)
