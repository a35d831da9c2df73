"""The content tree is closed and every published file is what its name says: symbolic
links, files that are not what their extension claims, and SVGs that can run code each
fail the build with one located error, and the last good output/ stays as it was."""

from __future__ import annotations

import os
import shutil
import zlib
from pathlib import Path

import pytest

from conftest import FIXTURES, ROOT, BuildResult, run_build, write_content
from plugins.editorial.links import outside_links
from plugins.editorial.sniff import image_problem, pdf_problem
from plugins.editorial.svg import svg_problems

MARKER = "FILESAFETY-MARKER-7f3a"  # in the build's environment and in files outside
LAST_GOOD = "<!doctype html><title>last good build</title>\n"


def keep_last_good(output: Path) -> None:
    output.mkdir(parents=True)
    (output / "index.html").write_text(LAST_GOOD, encoding="utf-8")


def assert_untouched(output: Path) -> None:
    assert [p.name for p in output.iterdir()] == ["index.html"]
    assert (output / "index.html").read_text(encoding="utf-8") == LAST_GOOD


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> BuildResult:
    """The file-safety fixture plus links to everything a link could publish."""
    root = tmp_path_factory.mktemp("file-safety")
    outside = tmp_path_factory.mktemp("outside-the-project")
    (outside / "secret.txt").write_text(MARKER, encoding="utf-8")
    (outside / "folder").mkdir()
    (outside / "folder" / "evil.js").write_text("alert(1)", encoding="utf-8")
    (outside / "folder" / "page.html").write_text("<script>alert(1)</script>")
    # Read, it would be a page with a misspelt field: an error the test would see.
    article = (FIXTURES / "basic" / "articles" / "first-article.md").read_text()
    (outside / "leak.md").write_text(
        article.replace("slug: first-article", f"slug: leaked\nleak: {MARKER}"))
    (outside / "articles").mkdir()
    (outside / "articles" / "more.md").write_text(article.replace("first-article", "more"))
    (outside / "pharmacy.yaml").write_text(f"name: [{MARKER}\n")

    (root / "notes.txt").write_text(MARKER, encoding="utf-8")  # beside content/
    content = root / "content"
    write_content(content, "file-safety")
    links = {
        "images/env.png": Path("/proc/self/environ"),
        "images/secret.png": outside / "secret.txt",
        "images/folder": outside / "folder",
        "articles/leak.md": outside / "leak.md",
        "articles/more": outside / "articles",
        "studies.yaml": outside / "pharmacy.yaml",
        "integrity.yaml": outside / "pharmacy.yaml",
        "safety/opioids.md": outside / "leak.md",
    }
    (content / "safety").mkdir()
    for link, target in links.items():
        (content / link).symlink_to(target)
    theme = root / "theme"
    shutil.copytree(ROOT / "theme", theme)
    (theme / "static" / "leak.css").symlink_to(outside / "secret.txt")

    keep_last_good(root / "output")
    os.environ["FILESAFETY_MARKER"] = MARKER
    try:
        return run_build(root, THEME=str(theme))
    finally:
        del os.environ["FILESAFETY_MARKER"]


LINK = ("; links are never followed or published; replace the link with a copy of the "
        "file itself, or remove it [static.symlink]")
SVG_HINT = ("; export the image again as plain SVG (Inkscape: Save As > Optimized or Plain "
            "SVG; no scripts, links or embedded content), or as PNG")
IMAGES = "content/images"
EXPECTED = [
    "content/articles/first-article.md:15:17: error: {static}/../notes.txt names a file "
    "outside content/, which is never published; link to a file under content/images/, "
    "e.g. {static}/images/photo.png [static.outside]",
    f"content/articles/leak.md:1:1: error: this is a symbolic link{LINK}",
    f"content/articles/more:1:1: error: this is a symbolic link to a folder{LINK}",
    f"{IMAGES}/entity.svg:1:1: error: the SVG has a DTD or entity declarations "
    f"(DTDForbidden); they are not allowed{SVG_HINT} [static.svg-not-allowed]",
    f"{IMAGES}/env.png:1:1: error: this is a symbolic link{LINK}",
    f"{IMAGES}/external.svg:2:3: error: the SVG links to "
    "'https://evil.example/sprite.svg#icon'; only links to an element of the same file "
    f"(#id) are allowed{SVG_HINT} [static.svg-not-allowed]",
    f"{IMAGES}/external.svg:3:3: error: the SVG element <image> (namespace "
    "http://www.w3.org/2000/svg) is not allowed in a plain picture"
    f"{SVG_HINT} [static.svg-not-allowed]",
    f"{IMAGES}/external.svg:3:3: error: the SVG links to 'data:image/svg+xml;base64,"
    "PHN2Zz4='; only links to an element of the same file (#id) are allowed"
    f"{SVG_HINT} [static.svg-not-allowed]",
    f"{IMAGES}/folder:1:1: error: this is a symbolic link to a folder{LINK}",
    f"{IMAGES}/foreign.svg:2:3: error: the SVG contains a <foreignObject> element "
    f"(namespace http://www.w3.org/2000/svg){SVG_HINT} [static.svg-script]",
    f"{IMAGES}/foreign.svg:2:41: error: the SVG element <div> (namespace "
    "http://www.w3.org/1999/xhtml) is not allowed in a plain picture"
    f"{SVG_HINT} [static.svg-not-allowed]",
    f"{IMAGES}/namespaced.svg:2:3: error: the SVG contains a <script> element (namespace "
    f"http://www.w3.org/2000/svg){SVG_HINT} [static.svg-script]",
    f"{IMAGES}/onload.svg:1:1: error: the SVG has an event attribute onload="
    f"{SVG_HINT} [static.svg-script]",
    f"{IMAGES}/script.pdf:1:1: error: this PDF contains /JavaScript, an action that runs "
    "code or opens something when the file is viewed; save the document again as a plain "
    "PDF, without scripts, attachments or form actions (for example with Print > Save as "
    "PDF) [static.bad-pdf]",
    f"{IMAGES}/secret.png:1:1: error: this is a symbolic link{LINK}",
    f"{IMAGES}/text.jpg:1:1: error: this .jpg file is not a JPEG image (it is text); "
    "export the picture again as JPEG, or give the file the extension of what it really "
    "is (.png, .jpg, .gif, .webp, .avif) [static.bad-image]",
    f"{IMAGES}/text.pdf:1:1: error: this .pdf file is not a PDF (it is text); save the "
    "document again as a plain PDF, without scripts, attachments or form actions (for "
    "example with Print > Save as PDF) [static.bad-pdf]",
    f"{IMAGES}/utf16.svg:1:1: error: the SVG is not saved as UTF-8 (it looks like UTF-16 "
    f"or UTF-32){SVG_HINT} [static.svg-not-allowed]",
    f"{IMAGES}/xhtml.svg:2:3: error: the SVG contains a <script> element (namespace "
    f"http://www.w3.org/1999/xhtml){SVG_HINT} [static.svg-script]",
    f"content/integrity.yaml:1:1: error: this is a symbolic link{LINK}",
    "content/pharmacy.yaml:1:1: error: a {static} or {attach} link names this file, but "
    "only files under content/images/ are published; move the file there and link to it, "
    "e.g. {static}/images/photo.png [static.outside]",
    f"content/safety/opioids.md:1:1: error: this is a symbolic link{LINK}",
    f"content/studies.yaml:1:1: error: this is a symbolic link{LINK}",
    f"theme/static/leak.css:1:1: error: this is a symbolic link{LINK}",
]


def test_every_link_and_disguised_file_is_one_located_error(hostile: BuildResult) -> None:
    assert hostile.returncode == 1
    assert hostile.diagnostics == EXPECTED
    assert "Traceback" not in hostile.stderr


def test_nothing_is_read_through_a_link_or_written(hostile: BuildResult) -> None:
    assert MARKER not in hostile.stdout + hostile.stderr
    assert_untouched(hostile.output)


def test_clean_images_are_published_as_they_are(tmp_path: Path) -> None:
    images = FIXTURES / "file-safety" / "images"
    content = {f"images/{name}": (images / name).read_bytes()
               for name in ("clean.svg", "clean.png")}
    for relative in ("pages/home.md", "articles/first-article.md", "pharmacy.yaml"):
        content[relative] = (FIXTURES / "basic" / relative).read_text(encoding="utf-8")
    write_content(tmp_path / "content", content)
    built = run_build(tmp_path)
    assert built.ok, built.stderr
    for name in ("clean.svg", "clean.png"):
        assert (built.output / "images" / name).read_bytes() == (images / name).read_bytes()


@pytest.mark.parametrize(("suffix", "head"), [
    (".png", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"), (".jpg", b"\xff\xd8\xff\xe0\0\x10JFIF"),
    (".jpeg", b"\xff\xd8\xff\xdb"), (".gif", b"GIF89a\x01\0\x01\0"),
    (".webp", b"RIFF\x24\0\0\0WEBPVP8 "), (".avif", b"\0\0\0\x1cftypavif\0\0\0\0avifmif1"),
    (".avif", b"\0\0\0\x20ftypmif1\0\0\0\0mif1avifmiaf"),
])
def test_real_images_pass(suffix: str, head: bytes) -> None:
    assert image_problem(suffix, head) is None


@pytest.mark.parametrize(("suffix", "head", "problem"), [
    (".png", b"GIF89a=alert(1)//", "this .png file is not a PNG image (it is a GIF image)"),
    (".gif", b"alert(1)//GIF89a", "this .gif file is not a GIF image (it is text)"),
    (".webp", b"RIFF\0\0\0\0AVI LIST", "this .webp file is not a WebP image (its first "
     "bytes are not an image header)"),
    (".avif", b"", "this .avif file is not an AVIF image (it is empty)"),
])
def test_disguised_images_are_named(suffix: str, head: bytes, problem: str) -> None:
    assert image_problem(suffix, head) == problem


@pytest.mark.parametrize("pdf", [
    b"%PDF-1.4\n<< /S /J#61vaScript /JS (x) >>",  # a name spelt with #xx escapes
    b"%PDF-1.4\n1 0 obj << /Filter /FlateDecode >>\nstream\n"
    + zlib.compress(b"<< /S /JavaScript /JS (app.alert(1)) >>") + b"\nendstream",
    b"%PDF-1.4\n<< /Type /Action /S /Launch /F (calc.exe) >>",
])
def test_pdf_actions_are_found_however_spelt(pdf: bytes) -> None:
    assert pdf_problem(pdf) is not None
    assert pdf_problem(b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF") is None


@pytest.mark.parametrize(("svg", "code"), [
    (b'<svg xmlns="http://www.w3.org/2000/svg"><set attributeName="href" to="x"/></svg>',
     "static.svg-not-allowed"),
    (b'<svg xmlns="http://www.w3.org/2000/svg"><a href="javascript:alert(1)"/></svg>',
     "static.svg-not-allowed"),
    (b'<svg xmlns="http://www.w3.org/2000/svg"><style>@import url(//x.example/a)</style>'
     b"</svg>", "static.svg-not-allowed"),
    (b'<?xml-stylesheet href="https://x.example/a.xsl" type="text/xsl"?>'
     b'<svg xmlns="http://www.w3.org/2000/svg"/>', "static.svg-not-allowed"),
    (b'<?xml version="1.0" encoding="ISO-8859-1"?><svg xmlns="http://www.w3.org/2000/svg"/>',
     "static.svg-not-allowed"),
    (b'<svg xmlns="http://www.w3.org/2000/svg"><rect style="fill:u\\72l(//x.example/a)"/>'
     b"</svg>", "static.svg-not-allowed"),  # a CSS escape spelling url(
    (b'<svg xmlns="http://www.w3.org/2000/svg"><rect style="fill:image-set(\'//x.example/a\''
     b' 1x)"/></svg>', "static.svg-not-allowed"),
    (b"<svg><script>alert(1)</script></svg>", "static.svg-script"),
    (b'<svg xmlns="http://www.w3.org/2000/svg" ONLOAD="alert(1)"/>', "static.svg-script"),
])
def test_other_svg_spellings_are_refused(svg: bytes, code: str) -> None:
    assert code in {problem.code for problem in svg_problems(svg)}


def test_exported_svg_with_editor_metadata_passes() -> None:
    svg = (b'<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n'
           b'<svg xmlns="http://www.w3.org/2000/svg" '
           b'xmlns:inkscape="http://www.inkscape.org/namespaces/inkscape" '
           b'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
           b'xmlns:dc="http://purl.org/dc/elements/1.1/" width="10" height="10" '
           b'inkscape:version="1.3"><metadata><rdf:RDF><dc:title>x</dc:title></rdf:RDF>'
           b'</metadata><g inkscape:label="Layer 1"><circle cx="5" cy="5" r="4" '
           b'style="fill:#036;stroke:none"/></g></svg>')
    assert svg_problems(svg) == []


@pytest.mark.parametrize(("body", "target"), [
    ("[a]({static}/../.env)", "../.env"),
    ("[a](|static|../../secrets/key.pem)", "../secrets/key.pem"),
    ('<img src="{attach}../../../etc/passwd">', "../../etc/passwd"),
    ("[a]({static}/images/../../x%20y.txt)", "../x y.txt"),
    ("[a]({static}/images/photo.png)", None),
    ("[a]({attach}../images/photo.png)", None),
])
def test_links_out_of_content_are_found_as_pelican_resolves_them(body: str,
                                                                  target: str | None) -> None:
    found = outside_links(body, "articles")
    assert [link.target for link in found] == ([target] if target else [])


def test_a_content_folder_that_is_a_link_is_not_read(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    write_content(elsewhere, "data-types")  # read, it would report its wrong types
    root = tmp_path / "project"
    root.mkdir()
    (root / "content").symlink_to(elsewhere)
    keep_last_good(root / "output")
    built = run_build(root)
    assert built.returncode == 1
    assert built.diagnostics == [
        "content:1:1: error: this folder is a symbolic link (or lies outside the project); "
        "nothing is read through it; make it a real folder inside the project "
        "[static.symlink]"]
    assert_untouched(built.output)
