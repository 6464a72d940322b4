"""Parsing ``--tables 30,40,50``-style lists (the CLI and the web form); light,
so that importing the CLI stays fast."""

from __future__ import annotations

from collections.abc import Callable

import click


def parse_list(text: str, kind: type) -> tuple:
    """``"30, 40,50"`` -> ``(30, 40, 50)``; ValueError with a plain message."""
    items = [x.strip() for x in text.split(",") if x.strip()]
    if not items:
        raise ValueError("give one or more values separated by commas, e.g. 30,40,50")
    if kind is str:
        return tuple(items)
    for x in items:
        if not x.lstrip("-").isdigit():
            raise ValueError(f"not a whole number: {x!r}")
    return tuple(int(x) for x in items)


def values(kind: type) -> Callable[[click.Context, click.Parameter, str | None], tuple]:
    """A click callback for comma-separated lists."""

    def parse(_ctx: click.Context, param: click.Parameter, text: str | None) -> tuple:
        if text is None:
            return ()
        try:
            return parse_list(text, kind)
        except ValueError as err:
            raise click.BadParameter(str(err), param=param) from None

    return parse
