"""Email HTML made safe to show: nh3 with a small allow-list, images replaced by a placeholder.

HTML in leaked mail is hostile. What survives: a basic set of text and table tags, links to
http, https and mailto only (``rel="noopener noreferrer nofollow"``), no style, class or id
attributes, no event handlers, no relative URLs (they would point into this site). Scripts,
styles, frames, objects, forms, SVG and MathML are dropped with their content. Every image is
replaced by a visible "image blocked" note, so nothing is ever fetched from the sender's servers
(a remote image is a read receipt). The Content-Security-Policy is the second line of defence.
"""

from __future__ import annotations

import html
import re

import nh3

TAGS = frozenset(
    {
        "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "col", "colgroup",
        "dd", "del", "div", "dl", "dt", "em", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i",
        "img", "ins", "kbd", "li", "ol", "p", "pre", "q", "s", "small", "span", "strike",
        "strong", "sub", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "tt",
        "u", "ul",
    }
)  # fmt: skip
# Dropped together with everything inside them.
DROP_WITH_CONTENT = frozenset(
    {
        "script", "style", "title", "noscript", "template", "iframe", "frame", "frameset",
        "object", "embed", "applet", "svg", "math", "xmp", "noembed", "noframes", "textarea",
        "select", "button", "head",
    }
)  # fmt: skip
ATTRIBUTES = {
    "*": {"title", "dir", "lang"},
    "a": {"href"},
    "img": {"alt"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "ol": {"start"},
}
URL_SCHEMES = frozenset({"http", "https", "mailto"})
LINK_REL = "noopener noreferrer nofollow"
_IMG = re.compile(r'<img\b(?:[^>"]|"[^"]*")*>')
_ALT = re.compile(r'\balt="([^"]*)"')


def _blocked(match: re.Match[str]) -> str:
    alt = _ALT.search(match.group())
    label = html.unescape(alt.group(1)).strip()[:200] if alt else ""
    text = f"image blocked: {label}" if label else "image blocked"
    return f'<span class="blocked-image">[{html.escape(text, quote=True)}]</span>'


def sanitize_html(markup: str) -> str:
    """``markup`` from an email, reduced to HTML that cannot run code or load anything."""
    cleaned = nh3.clean(
        markup or "",
        tags=set(TAGS),
        clean_content_tags=set(DROP_WITH_CONTENT),
        attributes={tag: set(names) for tag, names in ATTRIBUTES.items()},
        url_schemes=set(URL_SCHEMES),
        link_rel=LINK_REL,
        strip_comments=True,
        url_relative="deny",
    )
    return _IMG.sub(_blocked, cleaned)
