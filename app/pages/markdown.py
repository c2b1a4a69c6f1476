"""Question prompts and model answers from Markdown to HTML.

Raw HTML in the source is escaped (prompts come from admins through the API, so they are not
trusted to write markup). TeX between `$$ ... $$` (display) or `$ ... $` (inline) is kept as
escaped text inside `.math` elements, which the browser upgrades to MathML when scripts run.
"""

from __future__ import annotations

import re
from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.rules_inline import StateInline
from markupsafe import Markup, escape

_INLINE_MATH = re.compile(r"\$(?!\s)([^$\n]+?)(?<!\s)\$")


def _math_block(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    pos = state.bMarks[start] + state.tShift[start]
    line = state.src[pos : state.eMarks[start]]
    if not line.startswith("$$"):
        return False
    body = line[2:]
    last = start
    if body.rstrip().endswith("$$") and len(body.strip()) >= 2:
        content = body.rstrip()[:-2]
    else:
        lines = [body]
        last = start + 1
        while last < end:
            text = state.src[state.bMarks[last] + state.tShift[last] : state.eMarks[last]]
            if text.rstrip().endswith("$$"):
                lines.append(text.rstrip()[:-2])
                break
            lines.append(text)
            last += 1
        else:
            return False
        content = "\n".join(lines)
    if silent:
        return True
    token = state.push("math_block", "div", 0)
    token.content = content.strip()
    token.map = [start, last + 1]
    state.line = last + 1
    return True


def _math_inline(state: StateInline, silent: bool) -> bool:
    if state.src[state.pos] != "$":
        return False
    match = _INLINE_MATH.match(state.src, state.pos)
    if match is None:
        return False
    if not silent:
        token = state.push("math_inline", "span", 0)
        token.content = match.group(1)
    state.pos = match.end()
    return True


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.enable("table")
    md.block.ruler.before("fence", "math_block", _math_block)
    md.inline.ruler.before("escape", "math_inline", _math_inline)
    md.add_render_rule(
        "math_block",
        lambda self, tokens, idx, options, env: f'<div class="math math-display">{escape(tokens[idx].content)}</div>\n',
    )
    md.add_render_rule(
        "math_inline",
        lambda self, tokens, idx, options, env: f'<span class="math">{escape(tokens[idx].content)}</span>',
    )
    return md


@lru_cache(maxsize=256)
def render_markdown(source: str) -> Markup:
    return Markup(_parser().render(source or ""))
