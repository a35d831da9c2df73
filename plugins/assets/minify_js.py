"""A cautious shrinker for the theme's own scripts. Pure.

It drops comment lines, blank lines and indentation, and nothing else: line breaks stay,
so automatic semicolon insertion reads the script exactly as before. A line with an odd
number of backticks could be inside a template literal, whose whitespace is text: the
script is then left as it is.
"""

from __future__ import annotations


def minify_js(text: str) -> str:
    """``text`` without whole-line comments, blank lines or indentation."""
    out: list[str] = []
    in_comment = False
    for raw in text.splitlines():
        line = raw.strip()
        if raw.count("`") % 2:
            return text
        if in_comment:
            in_comment = "*/" not in line
            if not in_comment and not line.endswith("*/"):
                return text  # code after a block comment's end: too clever to touch
            continue
        if line.startswith("/*"):
            in_comment = "*/" not in line[2:]
            if not in_comment and not line.endswith("*/"):
                return text
            continue
        if line and not line.startswith("//"):
            out.append(line)
    return "\n".join(out) + "\n" if out else ""
