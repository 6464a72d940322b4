"""Imports run one way: each module imports only from its own layer or below.

The layers, lowest first:

1. model: ``model``, ``schedule``, ``problems``, ``i18n``, ``build`` — the
   event, the schedule, located problems; no solver, no files.
2. rules: ``rules`` (every hard rule of the contract), ``figures``,
   ``comfort``, ``changes`` — plain functions over the model.
3. beside each other: ``engine`` (the optimiser), ``io`` (workbooks in and
   out), ``documents`` (PDFs, calendars, report), ``verify`` (checks any
   schedule). None of them imports another, except that ``documents`` may
   use ``io`` (the mailing list it writes beside the agendas).
   Within the other layers, modules may import each other.
4. the application: ``run``, ``cli``, ``web``, ``plan``, ``send``,
   ``example``, ``catalogue`` — they may import anything below.

Every ``import`` counts, also those inside functions (a lazy import is still
a dependency).
"""

from __future__ import annotations

import ast
from pathlib import Path

import scheduler

PACKAGE = Path(scheduler.__file__).parent

LAYER = {
    "model": 0,
    "schedule": 0,
    "problems": 0,
    "i18n": 0,
    "build": 0,
    "rules": 1,
    "figures": 1,
    "comfort": 1,
    "changes": 1,
    "engine": 2,
    "io": 2,
    "documents": 2,
    "verify": 2,
    "run": 3,
    "cli": 3,
    "web": 3,
    "plan": 3,
    "send": 3,
    "example": 3,
    "catalogue": 3,
    "": 3,  # scheduler/__init__.py
}
BESIDE = 2  # the layer whose parts must not import each other
SIDEWAYS = {("documents", "io")}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imported(path: Path) -> set[str]:
    """The scheduler modules ``path`` imports, relative imports resolved."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = package.split(".")[: len(package.split(".")) - node.level + 1] if node.level else []
            target = ".".join([*base, node.module] if node.module else base)
            found.add(target)
            found |= {f"{target}.{alias.name}" for alias in node.names}  # "from . import rules"
    return {m for m in found if m == "scheduler" or m.startswith("scheduler.")}


def part(module: str) -> str:
    """The top-level part of the package a module belongs to ("" for the package itself)."""
    return module.split(".")[1] if "." in module else ""


def known(module: str) -> bool:
    return (PACKAGE.parent / module.replace(".", "/")).with_suffix(".py").exists() or (
        PACKAGE.parent / module.replace(".", "/") / "__init__.py"
    ).exists()


def upward_imports() -> list[str]:
    bad = []
    for path in sorted(PACKAGE.rglob("*.py")):
        here = part(module_name(path))
        for target in sorted(imported(path)):
            if not known(target) or target == "scheduler":
                continue  # a name imported from a module, or the package itself
            there = part(target)
            if there == here or (here, there) in SIDEWAYS:
                continue
            if LAYER[there] > LAYER[here] or LAYER[there] == LAYER[here] == BESIDE:
                bad.append(f"{module_name(path)} imports {target} ({there or 'scheduler'} is not below {here})")
    return bad


def test_every_part_of_the_package_has_a_layer() -> None:
    parts = {part(module_name(p)) for p in PACKAGE.rglob("*.py")}
    assert parts <= set(LAYER), f"give these a layer in this test: {sorted(parts - set(LAYER))}"


def test_no_import_runs_upward() -> None:
    assert upward_imports() == []


def test_the_walk_sees_relative_and_lazy_imports() -> None:
    engine_change = imported(PACKAGE / "engine" / "change.py")
    assert "scheduler.rules" in engine_change  # "from .. import rules"
    assert "scheduler.engine.solve" in engine_change  # "from .solve import ..."
    assert "scheduler.engine.solve" in imported(PACKAGE / "run.py")  # inside a function too
