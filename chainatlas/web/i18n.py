"""Interface language: Chinese first, English available.

Templates mark user-visible Chinese text with `_("…")`; the Chinese string is the message
id, so a page reads naturally in its template and an untranslated string falls back to
Chinese instead of showing a key. The English catalog is a flat TOML table next to this
module. The language comes from `?lang=` (remembered in a cookie), then the cookie, then
Chinese — never from Accept-Language, because most users' browsers say en-US while they
expect the Chinese product.
"""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path

from jinja2 import Environment, pass_context
from markupsafe import Markup, escape

LANGS = ("zh", "en")
DEFAULT = "zh"
COOKIE = "lang"
CATALOG = Path(__file__).with_name("i18n_en.toml")


@cache
def english() -> dict[str, str]:
    with CATALOG.open("rb") as fh:
        data = tomllib.load(fh)
    return {str(k): str(v) for k, v in data.get("messages", {}).items()}


def translate(text: str, lang: str) -> str:
    if lang == "en":
        return english().get(text, text)
    return text


def pick_lang(query: str | None, cookie: str | None) -> str:
    for candidate in (query, cookie):
        if candidate in LANGS:
            return candidate
    return DEFAULT


def request_lang(request) -> str:
    lang = getattr(request.state, "lang", None)
    return lang if lang in LANGS else DEFAULT


@pass_context
def _gettext(context, text: str, **values) -> str:
    request = context.get("request")
    lang = request_lang(request) if request is not None else DEFAULT
    out = translate(text, lang)
    if not values:
        return out
    # Markup.format escapes plain values but keeps markup ones, so a template can put a
    # number in <b> (via a macro) inside a sentence whose word order differs by language.
    return Markup(escape(out)).format(**values)


@pass_context
def _current_lang(context) -> str:
    request = context.get("request")
    return request_lang(request) if request is not None else DEFAULT


@pass_context
def _switch_url(context, lang: str) -> str:
    """The current page in another language (query kept, `lang` replaced)."""
    request = context.get("request")
    if request is None:
        return f"?lang={lang}"
    params = [(k, v) for k, v in request.query_params.multi_items() if k != "lang"]
    params.append(("lang", lang))
    from urllib.parse import urlencode

    return f"{request.url.path}?{urlencode(params)}"


def install(env: Environment) -> None:
    """Make `_`, `ui_lang` and `lang_url` available to every template of `env`."""
    env.globals["_"] = _gettext
    env.globals["ui_lang"] = _current_lang
    env.globals["lang_url"] = _switch_url
    env.filters["tr"] = lambda text, lang="zh": translate(text, lang)
