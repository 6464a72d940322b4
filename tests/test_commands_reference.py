"""docs/reference/commands.md is generated from the click commands and kept in step.

After changing a command or an option, regenerate it with

    .venv/bin/python tests/test_commands_reference.py
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from scheduler.cli import main

DOC = Path(__file__).resolve().parents[1] / "docs" / "reference" / "commands.md"
WIDTH = 100

INTRO = """\
# Commands

Every command and option of `scheduler`, as `scheduler COMMAND --help` prints
it. This page is generated from the commands themselves (a test fails when it
is out of step; `.venv/bin/python tests/test_commands_reference.py` rewrites
it). For what to do with them, start with the [tutorial](../tutorial.md).

Every command prints every problem of its input at once, located as
`FILE › SHEET › row N › COLUMN: what is wrong (found: ...)`, and exits with
status 2 without writing anything; `--debug` (before the command) shows the
traceback of an internal error.
"""


def help_text(name: str | None = None) -> str:
    top = click.Context(main, info_name="scheduler", terminal_width=WIDTH, max_content_width=WIDTH)
    if name is None:
        return main.get_help(top)
    command = main.commands[name]
    ctx = click.Context(command, info_name=name, parent=top, terminal_width=WIDTH, max_content_width=WIDTH)
    return command.get_help(ctx)


def reference() -> str:
    parts = [INTRO, "## scheduler\n", "```text", help_text(), "```\n"]
    for name in main.commands:
        parts += [f"## scheduler {name}\n", "```text", help_text(name), "```\n"]
    return "\n".join(parts)


def test_the_commands_reference_is_in_step_with_the_commands() -> None:
    assert DOC.read_text(encoding="utf-8") == reference(), (
        "docs/reference/commands.md is out of date: run .venv/bin/python tests/test_commands_reference.py"
    )


def test_every_option_appears_in_the_reference() -> None:
    text = DOC.read_text(encoding="utf-8")
    for name, command in main.commands.items():
        assert f"## scheduler {name}" in text
        for param in command.params:
            for opt in getattr(param, "opts", []):
                if opt.startswith("-"):
                    assert opt in text, f"{name} {opt}"


if __name__ == "__main__":
    DOC.parent.mkdir(parents=True, exist_ok=True)
    DOC.write_text(reference(), encoding="utf-8")
    sys.stdout.write(f"wrote {DOC}\n")
