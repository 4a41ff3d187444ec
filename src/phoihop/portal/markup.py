"""The simple text markup staff write articles in, instead of raw HTML.

Paragraphs are separated by a blank line; «## » and «### » start headings, «- » a bullet,
«1. » a numbered item, «> » a quotation; **đậm**, *nghiêng* and [chữ](https://…) work
inside a line. Everything else is text: the markup is escaped, turned into a few tags, then
cleaned by the one nh3 allow-list (`sanitize.clean_html`)."""

from __future__ import annotations

import html
import re

from phoihop.portal.sanitize import clean_html

_BOLD = re.compile(r"\*\*(.+?)\*\*")
_ITALIC = re.compile(r"(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])")
_LINK = re.compile(r"\[([^\]]+)\]\((https?://[^\s)]+|mailto:[^\s)]+)\)")
_BULLET = re.compile(r"^[-*•]\s+")
_NUMBER = re.compile(r"^\d+[.)]\s+")


def _inline(text: str) -> str:
    text = html.escape(text, quote=False)
    text = _LINK.sub(lambda m: f'<a href="{html.escape(m.group(2))}">{m.group(1)}</a>', text)
    text = _BOLD.sub(r"<strong>\1</strong>", text)
    return _ITALIC.sub(r"<em>\1</em>", text)


def markup_to_html(text: str) -> str:
    """Safe HTML of the markup (cleaned with nh3)."""
    out: list[str] = []
    for block in re.split(r"\n\s*\n", (text or "").replace("\r\n", "\n").strip()):
        lines = [line.rstrip() for line in block.split("\n") if line.strip()]
        if not lines:
            continue
        first = lines[0]
        if len(lines) == 1 and first.startswith("### "):
            out.append(f"<h3>{_inline(first[4:].strip())}</h3>")
        elif len(lines) == 1 and first.startswith("## "):
            out.append(f"<h2>{_inline(first[3:].strip())}</h2>")
        elif all(_BULLET.match(line) for line in lines):
            items = "".join(f"<li>{_inline(_BULLET.sub('', line))}</li>" for line in lines)
            out.append(f"<ul>{items}</ul>")
        elif all(_NUMBER.match(line) for line in lines):
            items = "".join(f"<li>{_inline(_NUMBER.sub('', line))}</li>" for line in lines)
            out.append(f"<ol>{items}</ol>")
        elif all(line.startswith(">") for line in lines):
            quoted = "<br>".join(_inline(line.lstrip("> ")) for line in lines)
            out.append(f"<blockquote><p>{quoted}</p></blockquote>")
        else:
            out.append("<p>" + "<br>".join(_inline(line.strip()) for line in lines) + "</p>")
    return clean_html("\n".join(out))


_TAGS = [
    (re.compile(r"<h2[^>]*>(.*?)</h2>", re.S | re.I), "\n\n## \\1\n\n"),
    (re.compile(r"<h3[^>]*>(.*?)</h3>", re.S | re.I), "\n\n### \\1\n\n"),
    (re.compile(r"<h4[^>]*>(.*?)</h4>", re.S | re.I), "\n\n### \\1\n\n"),
    (re.compile(r"<li[^>]*>(.*?)</li>", re.S | re.I), "\n- \\1"),
    (re.compile(r"</?(ul|ol)[^>]*>", re.I), "\n\n"),
    (re.compile(r"<(strong|b)>(.*?)</\1>", re.S | re.I), "**\\2**"),
    (re.compile(r"<(em|i)>(.*?)</\1>", re.S | re.I), "*\\2*"),
    (re.compile(r'<a [^>]*href="([^"]+)"[^>]*>(.*?)</a>', re.S | re.I), "[\\2](\\1)"),
    (re.compile(r"<br\s*/?>", re.I), "\n"),
    (re.compile(r"</p>|</blockquote>", re.I), "\n\n"),
    (re.compile(r"<[^>]+>"), ""),
]


_OL = re.compile(r"<ol[^>]*>(.*?)</ol>", re.S | re.I)
_LI = re.compile(r"<li[^>]*>(.*?)</li>", re.S | re.I)
_QUOTE = re.compile(r"<blockquote[^>]*>(.*?)</blockquote>", re.S | re.I)


def _numbered(match: re.Match[str]) -> str:
    items = _LI.findall(match.group(1))
    return "\n\n" + "\n".join(f"{i}. {item}" for i, item in enumerate(items, 1)) + "\n\n"


def _quoted(match: re.Match[str]) -> str:
    inner = re.sub(r"</?p[^>]*>", "", match.group(1))
    return "\n\n" + "\n".join(f"> {line}" for line in re.split(r"<br\s*/?>", inner)) + "\n\n"


def html_to_markup(value: str) -> str:
    """The markup of an article body stored as HTML (to edit it again)."""
    text = _QUOTE.sub(_quoted, _OL.sub(_numbered, clean_html(value or "")))
    for pattern, repl in _TAGS:
        text = pattern.sub(repl, text)
    text = html.unescape(text)
    lines = [line.strip() for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
