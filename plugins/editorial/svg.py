"""Whether an SVG file is a plain picture: parsed as XML (defusedxml: no DTD, no entities),
UTF-8, and made only of an allow-list of SVG elements and attributes.

An SVG opened on its own is a document that runs its scripts, from this site's origin.
Matching ``<script`` in the text is not enough: ``<x:script xmlns:x=...>``, an XHTML
script, an entity or UTF-16 spell it otherwise. So the file is parsed as a browser
would, and anything not known to be inert is refused. Pure: bytes in, problems out.
"""

from __future__ import annotations

import re
from typing import Any

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser, ParseError

from plugins.diagnostics import Finding


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


SVG = "http://www.w3.org/2000/svg"
XLINK = "http://www.w3.org/1999/xlink"
XML = "http://www.w3.org/XML/1998/namespace"
# Editors' bookkeeping (Inkscape, Sodipodi) and metadata (RDF, Dublin Core, Creative
# Commons): browsers give elements in these namespaces no behaviour at all.
INERT = frozenset({
    "http://www.inkscape.org/namespaces/inkscape",
    "http://sodipodi.sourceforge.net/DTD/sodipodi-0.dtd",
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#", "http://purl.org/dc/elements/1.1/",
    "http://creativecommons.org/ns#", "http://web.resource.org/cc/",
})
ELEMENTS = _words("""
svg g defs title desc metadata symbol use switch style path rect circle ellipse line
polyline polygon text tspan textPath linearGradient radialGradient stop pattern clipPath
mask marker filter view feBlend feColorMatrix feComponentTransfer feComposite
feConvolveMatrix feDiffuseLighting feDisplacementMap feDistantLight feDropShadow feFlood
feFuncA feFuncB feFuncG feFuncR feGaussianBlur feMerge feMergeNode feMorphology feOffset
fePointLight feSpecularLighting feSpotLight feTile feTurbulence
""")
ATTRIBUTES = _words("""
id class style lang tabindex role focusable transform d x y x1 y1 x2 y2 cx cy r rx ry fx fy
fr width height viewBox preserveAspectRatio points pathLength version baseProfile href
fill fill-opacity fill-rule stroke stroke-width stroke-linecap stroke-linejoin
stroke-miterlimit stroke-dasharray stroke-dashoffset stroke-opacity opacity color display
visibility overflow clip clip-path clip-rule mask filter font-family font-size font-weight
font-style font-variant font-stretch text-anchor dominant-baseline alignment-baseline
baseline-shift letter-spacing word-spacing text-decoration writing-mode direction
unicode-bidi dx dy rotate textLength lengthAdjust startOffset method spacing side offset
stop-color stop-opacity gradientUnits gradientTransform spreadMethod patternUnits
patternContentUnits patternTransform clipPathUnits maskUnits maskContentUnits
marker-start marker-mid marker-end markerWidth markerHeight markerUnits refX refY orient
filterUnits primitiveUnits in in2 result stdDeviation mode operator k1 k2 k3 k4 values
type tableValues slope intercept amplitude exponent flood-color flood-opacity
lighting-color surfaceScale diffuseConstant specularConstant specularExponent
kernelMatrix kernelUnitLength order divisor bias targetX targetY edgeMode preserveAlpha
radius scale xChannelSelector yChannelSelector baseFrequency numOctaves seed stitchTiles
azimuth elevation pointsAtX pointsAtY pointsAtZ limitingConeAngle z shape-rendering
color-interpolation color-interpolation-filters color-rendering image-rendering
text-rendering vector-effect paint-order mix-blend-mode isolation enable-background
systemLanguage requiredFeatures requiredExtensions media aria-label aria-hidden
aria-labelledby aria-describedby
""")
# url(...) to anything but an element of this file (#id): a request to another site.
EXTERNAL_URL = re.compile(r"url\(\s*(?![\s'\"]*#)", re.IGNORECASE)
# CSS that loads or runs something without url(): image-set("..."), src("..."), old IE
# and Firefox hooks; and any backslash, with which u\72l( spells url(.
CSS_ACTIVE = re.compile(r"@import|expression\s*\(|javascript:|behavior\s*:|-moz-binding"
                        r"|image-set\s*\(|\bsrc\s*\(|\\", re.IGNORECASE)
DECLARED_ENCODING = re.compile(rb"""\A(?:\xef\xbb\xbf)?<\?xml[^>]*?encoding\s*=\s*["']([^"']+)""")
HINT = ("export the image again as plain SVG (Inkscape: Save As > Optimized or Plain SVG; "
        "no scripts, links or embedded content), or as PNG")


def _problem(where: tuple[int, int], code: str, message: str) -> Finding:
    """A finding in the SVG: ``code`` is static.svg-script (can run code) or
    static.svg-not-allowed."""
    return Finding.at(where, code, message, HINT)


def _name(qualified: str) -> tuple[str, str]:
    namespace, _, local = qualified[1:].partition("}") if qualified.startswith("{") \
        else ("", "", qualified)
    return namespace, local


class _Checker:
    """The parser's target: sees each element and processing instruction where it starts."""

    def __init__(self) -> None:
        self.problems: list[Finding] = []
        self.parser: Any = None
        self.styles = 0  # inside how many <style> elements
        self.root = ""

    def _add(self, code: str, message: str) -> None:
        expat = self.parser.parser
        self.problems.append(_problem((expat.CurrentLineNumber,
                                       expat.CurrentColumnNumber + 1), code, message))

    def start(self, tag: str, attrib: dict[str, str]) -> None:
        self.root = self.root or tag
        namespace, local = _name(tag)
        if local.lower() in {"script", "foreignobject", "iframe", "object", "embed",
                             "handler", "listener"}:
            self._add("static.svg-script", f"the SVG contains a <{local}> element"
                      + (f" (namespace {namespace})" if namespace else ""))
        elif not ((namespace == SVG and local in ELEMENTS) or namespace in INERT):
            where = f"namespace {namespace}" if namespace else "no namespace"
            self._add("static.svg-not-allowed",
                      f"the SVG element <{local}> ({where}) is not allowed in a plain picture")
        self.styles += local == "style"
        for qualified, value in attrib.items():
            self._attribute(*_name(qualified), value)

    def _attribute(self, namespace: str, local: str, value: str) -> None:
        if local.lower().startswith("on"):
            self._add("static.svg-script", f"the SVG has an event attribute {local}=")
        elif local == "href" and namespace in {"", XLINK}:
            if not re.fullmatch(r"#[\w.:-]+", value.strip()):
                self._add("static.svg-not-allowed", f"the SVG links to '{value[:80]}'; only "
                          "links to an element of the same file (#id) are allowed")
        elif not ((namespace == "" and local in ATTRIBUTES) or namespace in INERT
                  or (namespace == XML and local in {"space", "lang"})):
            self._add("static.svg-not-allowed",
                      f"the SVG attribute {local}= is not allowed in a plain picture")
        elif EXTERNAL_URL.search(value) or CSS_ACTIVE.search(value):
            self._add("static.svg-not-allowed", f"the SVG attribute {local}= refers to "
                      "another file or runs CSS code (only url(#id) is allowed)")

    def end(self, tag: str) -> None:
        self.styles -= _name(tag)[1] == "style"

    def data(self, text: str) -> None:
        if self.styles and (EXTERNAL_URL.search(text) or CSS_ACTIVE.search(text)):
            self._add("static.svg-not-allowed", "the SVG's <style> refers to another file "
                      "or runs CSS code (only url(#id) is allowed)")

    def pi(self, target: str, text: str) -> None:
        self._add("static.svg-not-allowed",
                  f"the SVG has a processing instruction <?{target} ...?>")

    def close(self) -> None:
        return None


def svg_problems(data: bytes) -> list[Finding]:
    """Every way ``data`` is not a plain, UTF-8 SVG picture (each distinct one once)."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\x00" in data[:200]:
        return [_problem((1, 1), "static.svg-not-allowed",
                           "the SVG is not saved as UTF-8 (it looks like UTF-16 or UTF-32)")]
    declared = DECLARED_ENCODING.match(data)
    if declared and declared.group(1).lower() not in {b"utf-8", b"utf8"}:
        return [_problem((1, 1), "static.svg-not-allowed", "the SVG declares the encoding "
                           f"'{declared.group(1).decode('ascii', 'replace')}'; only UTF-8 is "
                           "allowed")]
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as err:
        return [_problem((1, 1), "static.svg-not-allowed",
                           f"the SVG is not valid UTF-8 (byte offset {err.start})")]
    checker = _Checker()
    parser = DefusedXMLParser(target=checker, forbid_dtd=True, forbid_entities=True,
                              forbid_external=True)
    checker.parser = parser
    try:
        parser.feed(data)
        parser.close()
    except DefusedXmlException as err:
        return [_problem((1, 1), "static.svg-not-allowed", "the SVG has a DTD or entity "
                           f"declarations ({type(err).__name__}); they are not allowed")]
    except ParseError as err:
        line, col = err.position
        return [*_unique(checker.problems), _problem(
            (line, col + 1), "static.svg-not-allowed",
            f"the SVG is not well-formed XML ({str(err).split(':')[0]})")]
    problems = _unique(checker.problems)
    if not problems and checker.root != f"{{{SVG}}}svg":
        problems.append(_problem((1, 1), "static.svg-not-allowed",
                                   "the file's root element is not <svg> in the SVG namespace"))
    return problems


def _unique(problems: list[Finding]) -> list[Finding]:
    seen: set[tuple[str, str]] = set()
    kept = []
    for problem in problems:
        if (problem.code, problem.message) not in seen:
            seen.add((problem.code, problem.message))
            kept.append(problem)
    return kept
