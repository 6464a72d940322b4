"""The web page in the browser's language (English or French), from the message catalogue.

The language is the best match of the request's Accept-Language among
:data:`scheduler.i18n.LANGUAGES`, English when none matches. Templates mark
their words with ``_()`` (Jinja's i18n extension, new-style: ``_("%(n)s runs", n=3)``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol, cast

from flask import Flask, has_request_context, request

from scheduler.i18n import LANGUAGES, SOURCE_LANGUAGE, Words, words


def page_words() -> Words:
    if not has_request_context():
        return words(SOURCE_LANGUAGE)
    return words(request.accept_languages.best_match(LANGUAGES, default=SOURCE_LANGUAGE))


class _WithGettext(Protocol):
    """What Jinja's i18n extension adds to the environment when it is added."""

    def install_gettext_callables(
        self, gettext: Callable[[str], str], ngettext: Callable[[str, str, int], str], newstyle: bool | None = None
    ) -> None: ...


def install(app: Flask) -> None:
    """Jinja's gettext callables, looking the language up per request."""
    app.jinja_env.add_extension("jinja2.ext.i18n")
    cast(_WithGettext, app.jinja_env).install_gettext_callables(
        lambda message: page_words().gettext(message),
        lambda singular, plural, n: page_words().ngettext(singular, plural, n),
        newstyle=True,
    )

    @app.context_processor
    def language() -> dict[str, Any]:
        return {"page_language": page_words().language}
