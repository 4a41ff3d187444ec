"""The admin's audit log («/quan-tri/core/auditevent/») names every action in Vietnamese: no
key such as «guidance.issue» or «intake.import.upload» reaches the administrator. Core owns
the names' registry; each app registers its own from `ready()`."""

from __future__ import annotations

import ast
import contextlib
import importlib
import re
from pathlib import Path

import phoihop
from phoihop.core.audit_labels import label_of

SRC = Path(phoihop.__file__).parent
ACTION = re.compile(r"[a-z][a-z0-9_]*(?:\.[a-z0-9_]+)+")
# «<app>.<model>.<verb>», written by every edit in admin: label_of names it from the model
ADMIN_EDIT = "{obj._meta.app_label}.{obj._meta.model_name}.{verb}"


def _module(path: Path) -> str:
    return ".".join(("phoihop", *path.relative_to(SRC).with_suffix("").parts))


def _strings(node: ast.AST) -> set[str]:
    """The action keys written in an expression («"a.b"», «"a.b" if x else "a.c"»)."""
    return {
        n.value
        for n in ast.walk(node)
        if isinstance(n, ast.Constant) and isinstance(n.value, str) and ACTION.fullmatch(n.value)
    }


def _value(node: ast.expr, path: Path, tree: ast.Module) -> str:
    """What an argument is: a string, or a choice such as «CommendationProposal.State.APPROVED»
    (also through a local alias «S = CommendationProposal.State»)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    names = dict(vars(importlib.import_module(_module(path))))
    for assign in ast.walk(tree):
        if isinstance(assign, ast.Assign) and isinstance(assign.value, ast.Attribute):
            for target in assign.targets:
                if isinstance(target, ast.Name) and target.id not in names:
                    with contextlib.suppress(NameError, AttributeError):
                        names[target.id] = eval(ast.unparse(assign.value), names)  # noqa: S307
    return str(eval(ast.unparse(node), names))  # noqa: S307


def _composed(helper: ast.FunctionDef, joined: ast.JoinedStr, path: Path) -> set[str]:
    """«f"claim.{action}"» inside `helper`: the prefix with every value the helper is called
    with in its app (by keyword or by position)."""
    head, *rest = joined.values
    assert isinstance(head, ast.Constant) and len(rest) == 1, ast.unparse(joined)
    assert isinstance(rest[0], ast.FormattedValue) and isinstance(rest[0].value, ast.Name)
    variable = rest[0].value.id
    params = [a.arg for a in helper.args.posonlyargs + helper.args.args]
    position = params.index(variable) if variable in params else None
    app = SRC / path.relative_to(SRC).parts[0]
    found: set[str] = set()
    for other in app.rglob("*.py"):
        tree = ast.parse(other.read_text(encoding="utf-8"))
        for call in ast.walk(tree):
            if not (isinstance(call, ast.Call) and getattr(call.func, "id", None) == helper.name):
                continue
            given = {k.arg: k.value for k in call.keywords}
            if variable in given:
                found.add(_value(given[variable], other, tree))
            elif position is not None and position < len(call.args):
                found.add(_value(call.args[position], other, tree))
            else:
                raise AssertionError(f"{other}:{call.lineno}: {variable} not found")
    assert found, f"{path}: nobody calls {helper.name}"
    return {f"{head.value}{value}" for value in found}


def recorded_actions() -> set[str]:
    """Every action the sources record: the literal keys given as `action=` (to
    `audit.record` or to a helper that records them) or as «"action":» of `record_many`'s
    events, and every value of the composed ones («f"issue.{action}"»)."""
    found: set[str] = set()
    for path in SRC.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        helpers = [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)]
        for node in ast.walk(tree):
            if isinstance(node, ast.Dict):
                for key, value in zip(node.keys, node.values, strict=True):
                    if isinstance(key, ast.Constant) and key.value == "action":
                        found |= _strings(value)
            if not isinstance(node, ast.Call):
                continue
            for keyword in node.keywords:
                if keyword.arg != "action":
                    continue
                found |= _strings(keyword.value)
                if isinstance(keyword.value, ast.JoinedStr):
                    text = ast.unparse(keyword.value)
                    if ADMIN_EDIT in text:
                        continue
                    # the innermost function that writes it (ast.walk goes outside in)
                    helper = [h for h in helpers if node in ast.walk(h)][-1]
                    found |= _composed(helper, keyword.value, path)
    return found


def test_every_recorded_action_has_a_vietnamese_name_in_the_log() -> None:
    recorded = recorded_actions()
    # a sample of each kind the reader must find: literal, conditional, record_many, composed
    assert {
        "guidance.issue",
        "network.update",
        "signal.triage",
        "issue.extension_refuse",
        "claim.rebut",
        "article.send_back",
        "commendation.approved",
        "issue.reopen",
    } <= recorded, sorted(recorded)
    assert sorted(a for a in recorded if label_of(a) == a) == []
