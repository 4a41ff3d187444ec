"""GeoReport v2's two output formats: XML (required by the spec) and JSON, with errors in
the spec's shape (`<errors><error><code/><description/></error></errors>`)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from xml.etree import ElementTree as ET

from django.http import HttpResponse, JsonResponse

Row = dict[str, Any]

XML_TYPE = "text/xml; charset=utf-8"
JSON_TYPE = "application/json; charset=utf-8"


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _element(parent: ET.Element, name: str, value: Any, item_names: dict[str, str]) -> None:
    node = ET.SubElement(parent, name)
    if isinstance(value, dict):
        for key, inner in value.items():
            _element(node, key, inner, item_names)
    elif isinstance(value, list):
        child = item_names.get(name, "item")
        for inner in value:
            _element(node, child, inner, item_names)
    else:
        node.text = _text(value)


def render(
    fmt: str,
    rows: Sequence[Row] | Row,
    *,
    root: str,
    item: str,
    status: int = 200,
    item_names: dict[str, str] | None = None,
) -> HttpResponse:
    """A list of rows (or one row, for a service definition) in XML or JSON."""
    if fmt == "json":
        return JsonResponse(
            rows,
            safe=False,
            status=status,
            content_type=JSON_TYPE,
            json_dumps_params={"ensure_ascii": False},
        )
    names = {"attributes": "attribute", "values": "value", **(item_names or {})}
    top = ET.Element(root)
    if isinstance(rows, dict):
        for key, value in rows.items():
            _element(top, key, value, names)
    else:
        for row in rows:
            _element(top, item, row, names)
    body = ET.tostring(top, encoding="unicode")
    return HttpResponse(
        '<?xml version="1.0" encoding="utf-8"?>\n' + body, status=status, content_type=XML_TYPE
    )


def errors(fmt: str, status: int, *descriptions: str) -> HttpResponse:
    """The spec's error list: each error has the HTTP code and a description."""
    rows = [{"code": status, "description": d} for d in descriptions]
    return render(fmt, rows, root="errors", item="error", status=status)
