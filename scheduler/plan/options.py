"""Parsing ``--tables 30,40,50``-style lists; light, so that importing the CLI stays fast."""

from __future__ import annotations

from collections.abc import Callable

import click


def values(kind: type) -> Callable[[click.Context, click.Parameter, str | None], tuple]:
    """A click callback for comma-separated lists: ``30,40,50``."""

    def parse(_ctx: click.Context, param: click.Parameter, text: str | None) -> tuple:
        if text is None:
            return ()
        items = [x.strip() for x in text.split(",") if x.strip()]
        if not items:
            raise click.BadParameter(
                "give one or more values separated by commas, e.g. 30,40,50", param=param
            )
        if kind is str:
            return tuple(items)
        try:
            return tuple(int(x) for x in items)
        except ValueError:
            bad = next(x for x in items if not x.lstrip("-").isdigit())
            raise click.BadParameter(f"not a whole number: {bad!r}", param=param) from None

    return parse
