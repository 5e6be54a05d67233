"""HTML to text with ``inscriptis``, which keeps the layout of tables and lists.

Only parses: lxml's HTML parser neither fetches nor executes anything, and ``<script>`` and
``<style>`` content is dropped. Should inscriptis fail on a pathological document, the text is
recovered by stripping every tag with ``nh3`` instead, so conversion never raises.
"""

from __future__ import annotations

import html as html_entities

import nh3
from inscriptis import get_text
from inscriptis.model.config import ParserConfig

from dossier.corpus.ingest.extractors.text import decode_bytes

MIME_TYPES = frozenset({"text/html", "application/xhtml+xml"})
MIME_PREFIXES: tuple[str, ...] = ()
MIME_SUFFIXES: tuple[str, ...] = ()
EXTENSIONS = frozenset({".html", ".htm", ".xhtml"})

_CONFIG = ParserConfig(display_links=False, display_images=False)


def html_to_text(html: str) -> str:
    """The readable text of an HTML document: no markup, no script, no style."""
    html = html.replace("\x00", "")
    try:
        return get_text(html, _CONFIG)
    except (Exception, RecursionError):  # lxml/inscriptis on hostile markup: degrade, not fail
        return _strip_tags(html)


def _strip_tags(html: str) -> str:
    """Every tag removed (script and style with their content), entities resolved."""
    return html_entities.unescape(nh3.clean(html, tags=set()))


def extract(data: bytes, *, charset: str | None, ocr: bool) -> str:
    """The text of an HTML attachment, decoded with the declared charset and fallbacks."""
    return html_to_text(decode_bytes(data, charset).text)
