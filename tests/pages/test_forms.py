"""Forms that write something never submit on Enter: Enter in the kiosk link's seconds field
used to make a link silently, and the click that followed made a second one. Only signing in
and changing one's password keep Enter (what everybody expects of them)."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ENTER_KEEPS = {"sign_in", "change_password"}


def _forms() -> list[tuple[str, ast.Call]]:
    found = []
    for path in sorted([*(ROOT / "pages").glob("*.py"), *(ROOT / "ui").glob("*.py")]):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "form":
                found.append((f"{path.relative_to(ROOT)}:{node.lineno}", node))
    return found


def _name(call: ast.Call) -> str | None:
    first = call.args[0] if call.args else None
    return first.value if isinstance(first, ast.Constant) else None


def test_the_scan_finds_the_forms() -> None:
    names = {_name(call) for _, call in _forms()}
    assert {"sign_in", "kiosk_new", "create_contest", "moderate"} <= names


def test_no_form_that_writes_submits_on_enter() -> None:
    on_enter = [
        where
        for where, call in _forms()
        if _name(call) not in ENTER_KEEPS
        and not any(
            k.arg == "enter_to_submit"
            and isinstance(k.value, ast.Constant)
            and k.value.value is False
            for k in call.keywords
        )
    ]
    assert on_enter == []
