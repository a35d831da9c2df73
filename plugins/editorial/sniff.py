"""What a published image or PDF really is, read from its bytes, not its name.

A file is served with the type its extension names; a ``.pdf`` or ``.png`` that is
really text can be loaded as ``<script src=...>`` from this site's own origin. Pure:
bytes in, a problem (or None) out.
"""

from __future__ import annotations

import re
import zlib

# Extension -> what the file must start with (offset, bytes), any one of them.
IMAGE_MAGIC: dict[str, tuple[tuple[int, bytes], ...]] = {
    ".png": ((0, b"\x89PNG\r\n\x1a\n"),),
    ".jpg": ((0, b"\xff\xd8\xff"),),
    ".jpeg": ((0, b"\xff\xd8\xff"),),
    ".gif": ((0, b"GIF87a"), (0, b"GIF89a")),
    ".webp": ((8, b"WEBP"),),
}
IMAGE_NAMES = {".png": "PNG", ".jpg": "JPEG", ".jpeg": "JPEG", ".gif": "GIF",
               ".webp": "WebP", ".avif": "AVIF"}
AVIF_BRANDS = (b"avif", b"avis")
# PDF names that run code or open something when the file is viewed. A name may spell
# any character as #xx (``/J#61vaScript``), so names are decoded before matching.
PDF_ACTIVE = re.compile(rb"/(JavaScript|JS|Launch|EmbeddedFile|RichMedia|XFA|SubmitForm"
                        rb"|ImportData)(?![A-Za-z0-9])")
PDF_NAME_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
PDF_STREAM = re.compile(rb"stream\r?\n(.*?)endstream", re.DOTALL)
MAX_INFLATED = 32 * 1024 * 1024  # per stream: a "zip bomb" stops here


def image_problem(suffix: str, head: bytes) -> str | None:
    """Why ``head`` (the file's first bytes) is not an image of type ``suffix``."""
    name = IMAGE_NAMES[suffix]
    if suffix == ".avif":
        ok = head[4:8] == b"ftyp" and (head[8:12] in AVIF_BRANDS or any(
            head[i:i + 4] in AVIF_BRANDS for i in range(16, min(len(head), 64), 4)))
    elif suffix == ".webp":
        ok = head[:4] == b"RIFF" and head[8:12] == b"WEBP"
    else:
        ok = any(head[at:at + len(magic)] == magic for at, magic in IMAGE_MAGIC[suffix])
    if ok:
        return None
    article = "an" if name[0] in "AEIOU" else "a"
    return f"this {suffix} file is not {article} {name} image ({_looks_like(head)})"


def _looks_like(head: bytes) -> str:
    for suffix, magics in IMAGE_MAGIC.items():
        if suffix != ".webp" and any(head[a:a + len(m)] == m for a, m in magics):
            return f"it is a {IMAGE_NAMES[suffix]} image"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "it is a WebP image"
    if head.startswith(b"%PDF-"):
        return "it is a PDF"
    if not head:
        return "it is empty"
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError:
        text = "\0"
    if any(ord(c) < 32 and c not in "\t\r\n" for c in text):
        return "its first bytes are not an image header"
    return "it is text"


def _decoded_names(data: bytes) -> bytes:
    return PDF_NAME_ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), data)


def _inflated(stream: bytes) -> bytes:
    try:
        return zlib.decompressobj().decompress(stream, MAX_INFLATED)
    except zlib.error:
        return b""


def pdf_problem(data: bytes) -> str | None:
    """Why ``data`` is not a plain PDF: no ``%PDF-`` header, or an action that runs code
    (JavaScript, launching a program, an embedded file), also inside compressed streams."""
    if not data.startswith(b"%PDF-"):
        return f"this .pdf file is not a PDF ({_looks_like(data[:64])})"
    for chunk in (data, *(_inflated(m.group(1)) for m in PDF_STREAM.finditer(data))):
        found = PDF_ACTIVE.search(_decoded_names(chunk))
        if found:
            return (f"this PDF contains /{found.group(1).decode()}, an action that runs "
                    "code or opens something when the file is viewed")
    return None
