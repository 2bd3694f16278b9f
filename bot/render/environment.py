"""One jinja2 Environment for every Block Kit template.

Templates live at the repository's top level ``templates/`` and ship inside the wheel as
``bot/templates`` (pyproject force-include): the loader uses whichever exists. Output is JSON:
autoescape is off and every value goes through ``|tojson``; ``json.loads`` then checks it.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import bot

if TYPE_CHECKING:
    import jinja2


def templates_dir() -> Path:
    package = Path(bot.__file__).resolve().parent
    installed = package / "templates"
    return installed if installed.is_dir() else package.parent / "templates"


@cache
def environment() -> jinja2.Environment:
    """Built on first use (jinja2 is imported then, keeping the bot's start-up light)."""
    import jinja2

    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates_dir()),
        undefined=jinja2.StrictUndefined,
        autoescape=False,  # noqa: S701 - the output is JSON; values go through |tojson
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )


def render_template(name: str, **view: Any) -> dict[str, Any]:
    """Render ``templates/<name>`` with ``view`` and parse the JSON it produced."""
    text = environment().get_template(name).render(**view)
    result = json.loads(text)
    if not isinstance(result, dict):
        raise TypeError(f"template {name} did not produce a JSON object")
    return result
