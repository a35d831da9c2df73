"""Titles as AMA and APA print an article's: sentence case, what BibTeX braces protect
kept as typed. Pure.

BibTeX titles are often typed in Title Case ("Reduced Pro-Inflammatory Cytokines"); AMA
and APA print an article's title in sentence case ("Reduced pro-inflammatory
cytokines"). As pandoc does, a word in braces (``{LDN}``, ``{Crohn's}``) is kept as
typed; so is a word that is not simply capitalized (``LDN``, ``mRNA``, ``IL-6``), since
only an acronym or a name is written so. The first word keeps its capital.
"""

from __future__ import annotations

import re

# Words at brace depth 0 are split on spaces; a word with braces or a LaTeX command in it
# ("{LDN}", "({CRPS})", "M{\\"u}ller") is a protected word or a name, kept as typed.
PROTECTED = re.compile(r"\{|\\[^&%_#$]")
SEPARATOR = re.compile(r"[\s\-]*(?:\s|--)[\s\-]*")
LETTERS = re.compile(r"[^\W\d_]+")
# Types whose titles are an article's or a chapter's, printed in sentence case.
SENTENCE_CASE_TYPES = frozenset({"article-journal", "chapter", "paper-conference"})
AFTER_COLON = re.compile(r"(:\s+)([a-z])(?=[a-z]*(?:[\s,.;:!?)\-]|$))")


def _words(raw: str) -> list[str]:
    """``raw`` cut after each space or dash run ("--", "---") outside braces; joined
    again, the pieces give ``raw`` back."""
    depth = [0]
    for char in raw:
        depth.append(depth[-1] + (char == "{") - (char == "}"))
    words, start = [], 0
    for match in SEPARATOR.finditer(raw):
        if depth[match.start()] == 0:
            words.append(raw[start : match.end()])
            start = match.end()
    words.append(raw[start:])
    return words


def _lower(match: re.Match[str]) -> str:
    run = match.group()
    return run.lower() if run[1:].islower() or len(run) == 1 else run


def sentence_case(raw: str) -> str:
    """A BibTeX title value in sentence case, braces and LaTeX left for decoding."""
    words = _words(raw)
    out = []
    for index, word in enumerate(words):
        if PROTECTED.search(word):
            out.append(word)
        elif index == 0:  # the first word keeps its capital: "Low-Dose" -> "Low-dose"
            first = LETTERS.search(word)
            out.append(word if first is None else
                       word[: first.end()] + LETTERS.sub(_lower, word[first.end():]))
        else:
            out.append(LETTERS.sub(_lower, word))
    return "".join(out)


def capitalize_subtitle(title: str) -> str:
    """APA's rule: the first word after a colon takes a capital ("Fibromyalgia: An
    overview"). Only a word in plain lower case is changed, never "mRNA"."""
    return AFTER_COLON.sub(lambda m: m.group(1) + m.group(2).upper(), title)
