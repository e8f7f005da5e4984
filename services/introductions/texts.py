"""The introduction lifecycle's messages (``services/data/introductions.{sv,en}.toml``).

Same conventions as :mod:`services.dialogue.texts`: flat keys, ``{placeholder}`` values that are
HTML-escaped unless they are :class:`~services.dialogue.texts.Html`.
"""

from __future__ import annotations

import html
import tomllib
from functools import cache
from importlib.resources import files

from services.dialogue.texts import DEFAULT_LANGUAGE, LANGUAGES, Html

__all__ = ["IntroTexts", "catalogue", "load_catalogue", "render"]


@cache
def load_catalogue(name: str, language: str) -> dict[str, str]:
    """``services/data/<name>.<language>.toml``, flattened to dotted keys."""
    if language not in LANGUAGES:
        raise KeyError(language)
    path = files("services") / "data" / f"{name}.{language}.toml"
    return _flatten(tomllib.loads(path.read_text(encoding="utf-8")))


def catalogue(language: str) -> dict[str, str]:
    return load_catalogue("introductions", language)


def _flatten(table: dict[str, object], prefix: str = "") -> dict[str, str]:
    flat: dict[str, str] = {}
    for key, value in table.items():
        if isinstance(value, dict):
            flat.update(_flatten(value, f"{prefix}{key}."))
        else:
            flat[f"{prefix}{key}"] = str(value)
    return flat


class IntroTexts:
    """``IntroTexts("sv")("brief.what", text=…)``; an unknown language reads Swedish.
    Subclasses read another catalogue (``CATALOGUE``)."""

    CATALOGUE = "introductions"

    def __init__(self, language: str | None) -> None:
        self.language = language if language in LANGUAGES else DEFAULT_LANGUAGE
        self._messages = load_catalogue(self.CATALOGUE, self.language)

    def __call__(self, key: str, **values: object) -> Html:
        return render(self._messages[key], values)


def render(template: str, values: dict[str, object]) -> Html:
    """``template`` filled in, each value HTML-escaped unless it is :class:`Html` already."""
    safe = {
        name: value if isinstance(value, Html) else html.escape(str(value), quote=False)
        for name, value in values.items()
    }
    return Html(template.format_map(safe))
