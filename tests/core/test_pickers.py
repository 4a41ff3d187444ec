"""The pickers' <select>, written in Python, is Django's own markup."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django import forms

from phoihop.core.pickers import PythonSelect

CHOICES: list[tuple[Any, Any]] = [
    ("", "Tất cả"),
    ("Sở, ban, ngành", [(3, "Sở Xây dựng"), (1, "Sở Y tế & <Dân số>")]),
    ("Xã, phường", [(7, 'Xã "Na Sầm"'), (3, "Trùng giá trị")]),
    (9, "Khác"),
]


def _tight(html: str) -> str:
    return re.sub(r">\s+<", "><", html.strip())


@pytest.mark.parametrize("value", [None, "", 3, "7", 9, 42, [1]])
def test_python_select_writes_what_django_writes(value: Any) -> None:
    attrs = {"id": "id_agency", "data-searchable": "1", "required": True}
    django = forms.Select(attrs={"class": "picker"}, choices=CHOICES)
    python = PythonSelect(attrs={"class": "picker"}, choices=CHOICES)
    expected = _tight(django.render("agency", value, attrs))
    assert python.render("agency", value, attrs) == expected
    assert expected.count(" selected") <= 1
