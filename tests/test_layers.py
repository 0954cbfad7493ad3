"""The shape of the code: imports point one way, contest/ has no cycle, and pages never reach
past the services that check who is asking."""

from __future__ import annotations

import ast
import importlib
import inspect
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# contest/'s packages from the bottom up: a module imports its own package and those below.
LAYERS = (
    "core",
    "images",
    "contests",
    "accounts",
    "dedupe",
    "entries",
    "voting",
    "judging",
    "exhibition",
    "reports",
    "privacy",
    "ops",
    "runtime",
    "demo",
    "cli",
)
# Signing in happens before there is an actor: these look a user up without one.
IDENTITY = {
    "contest.accounts.users.authenticate",
    "contest.accounts.users.active_user",
    "contest.accounts.users.user_for_oidc_email",
    "contest.accounts.remember.user_for_token",
    # A kiosk screen has no user: its link's token is its credential (exhibition/displays.py).
    "contest.exhibition.displays.kiosk_view",
}


def modules(package: str) -> list[str]:
    names = []
    for path in sorted((ROOT / package).rglob("*.py")):
        parts = path.relative_to(ROOT).with_suffix("").parts
        if "migrations" in parts or parts[-1] == "__main__":
            continue  # alembic scripts run inside alembic; __main__ runs the CLI
        names.append(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return names


def _path(module: str) -> Path:
    base = ROOT / Path(*module.split("."))
    return base / "__init__.py" if base.is_dir() else base.with_suffix(".py")


def imports_of(path: Path) -> Iterator[tuple[str, str | None]]:
    """(module, name) for every import in a file; name is None for ``import module``."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from ((alias.name, None) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield from ((node.module, alias.name) for alias in node.names)


def contest_targets(path: Path) -> set[str]:
    """The contest modules a file imports (``from contest.x import module`` counts as module)."""
    known = set(modules("contest"))
    found = set()
    for module, name in imports_of(path):
        if not module.startswith("contest"):
            continue
        found.add(f"{module}.{name}" if f"{module}.{name}" in known else module)
    return found & known


def layer(module: str) -> int:
    return LAYERS.index(module.split(".")[1])


def test_core_packages_do_not_import_streamlit() -> None:
    names = modules("contest") + modules("storage")
    assert "contest.accounts.users" in names and "storage.s3" in names
    script = (
        "import importlib, sys\n"
        f"for name in {names!r}:\n"
        "    importlib.import_module(name)\n"
        "leaked = sorted(m for m in sys.modules if m.split('.')[0] == 'streamlit')\n"
        "assert not leaked, leaked[:5]\n"
        "print(len(sys.modules))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr


def test_contest_packages_import_only_downwards() -> None:
    upward = [
        f"{module} -> {target}"
        for module in modules("contest")
        if module.count(".") >= 1
        for target in contest_targets(_path(module))
        if target.count(".") >= 1 and layer(target) > layer(module)
    ]
    assert upward == []


def test_contest_has_no_import_cycle() -> None:
    graph = {m: contest_targets(_path(m)) - {m} for m in modules("contest")}
    state: dict[str, int] = {}  # 1 visiting, 2 done

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                pytest.fail("import cycle: " + " -> ".join([*trail, node, nxt]))
            if nxt not in state:
                visit(nxt, [*trail, node])
        state[node] = 2

    for module in sorted(graph):
        if module not in state:
            visit(module, [])


def _page_files() -> list[Path]:
    return [
        ROOT / "app.py",
        *sorted((ROOT / "pages").glob("*.py")),
        *sorted((ROOT / "ui").glob("*.py")),
    ]


def _used_functions(path: Path) -> Iterator[tuple[str, object]]:
    """Every contest function a page or ui module imports or calls through an imported module."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    bound: dict[str, object] = {}
    for node in ast.walk(tree):
        if not isinstance(node, ast.ImportFrom) or not (node.module or "").startswith("contest"):
            continue
        imported = importlib.import_module(node.module or "")
        for alias in node.names:
            value = getattr(imported, alias.name, None)
            if value is None:  # a submodule: ``from contest.contests import manage``
                value = importlib.import_module(f"{node.module}.{alias.name}")
            bound[alias.asname or alias.name] = value
            if inspect.isfunction(value):
                yield f"{node.module}.{alias.name}", value
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            owner = bound.get(node.value.id)
            if inspect.ismodule(owner) and inspect.isfunction(getattr(owner, node.attr, None)):
                yield f"{owner.__name__}.{node.attr}", getattr(owner, node.attr)


@pytest.mark.parametrize("path", _page_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_pages_reach_only_services_that_check_the_actor(path: Path) -> None:
    """A function a page may call either needs no database or takes the acting user; queries
    without an actor check live in <package>/queries.py and private names, out of reach."""
    private = [
        f"{module}.{name}"
        for module, name in imports_of(path)
        if module.startswith("contest")
        and (module.endswith(".queries") or (name or "").startswith("_"))
    ]
    assert private == []
    unguarded = [
        name
        for name, function in _used_functions(path)
        if "session" in inspect.signature(function).parameters  # type: ignore[arg-type]
        and "actor" not in inspect.signature(function).parameters  # type: ignore[arg-type]
        and name not in IDENTITY
    ]
    assert unguarded == []
