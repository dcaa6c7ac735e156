"""The typeface of our PDFs: Source Sans Pro, from the PyPI package `font-source-sans-pro`.

Why this font: PDF/A requires every font to be embedded, so the PDF cannot lean on
Helvetica from the viewer. Source Sans Pro (SIL Open Font License 1.1, embedding
allowed) is a sober sans serif with tabular figures by default (amounts line up in
columns) and covers the Latin Extended-A names of EU customers (Łódź, Plzeň, Győr),
which reportlab's bundled Bitstream Vera does not. It comes as TrueType (glyf outlines),
which reportlab can subset and embed; the package is a plain wheel with no code we run.
"""

import os
import threading
from functools import cache

import font_source_sans_pro
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

# Two weights only: every face used costs a subset in each PDF (~1.5 ms and ~11 KB).
REGULAR = "RW-Sans"
BOLD = "RW-Sans-Bold"

_FILES = {
    REGULAR: "SourceSansPro-Regular.ttf",
    BOLD: "SourceSansPro-Bold.ttf",
}

_lock = threading.Lock()


def font_path(name: str) -> str:
    return os.path.join(font_source_sans_pro.font_directory, _FILES[name])


_registered = False


def ensure_fonts() -> None:
    """Register the fonts with reportlab once per process (thread-safe).

    Parsing a TrueType file costs ~15 ms; it is paid once per process, each PDF then only
    pays for subsetting the glyphs it uses.
    """
    global _registered
    if _registered:
        return
    with _lock:
        if not _registered:
            for name in _FILES:
                pdfmetrics.registerFont(TTFont(name, font_path(name)))
            _registered = True


@cache
def _cmap(name: str) -> frozenset[int]:
    ensure_fonts()
    face = pdfmetrics.getFont(name).face
    # The line feed has no glyph but is structure: callers split lines on it.
    return frozenset(face.charToGlyph) | {ord("\n")}


def supported(text: str, name: str = REGULAR) -> str:
    """Replace characters the font has no glyph for; line breaks are kept.

    A missing glyph would print as an empty box (and is a PDF/A violation, since the
    .notdef glyph must not be used). Typographic look-alikes go first, anything else
    becomes "?" so the person reading sees that something could not be printed.
    """
    cmap = _cmap(name)
    if cmap.issuperset(map(ord, text)):  # the common case, checked at C speed
        return text
    out = []
    for ch in text:
        if ord(ch) in cmap:
            out.append(ch)
        elif ch in "\t\u00a0\u2007\u2009\u202f":
            out.append(" ")
        elif ch in _FALLBACKS and all(ord(c) in cmap for c in _FALLBACKS[ch]):
            out.append(_FALLBACKS[ch])
        elif ch == "\r":
            continue
        else:
            out.append("?")
    return "".join(out)


_FALLBACKS = {
    "\u2010": "-",
    "\u2011": "-",
    "\u2012": "-",
    "\u2212": "-",
    "\u2026": "...",
    "\u201a": ",",
    "\u2039": "<",
    "\u203a": ">",
}
