import shutil
import subprocess
from pathlib import Path

import pytest
from app.einvoice.pdf import render_pdf

from . import scenarios as S

TOOLS = ("zbarimg", "pdftoppm", "pdftotext")


def require_tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        # Not a skip: these tests are the proof that the GiroCode scans and the text is
        # there. `make test` installs the tools (scripts/ensure-system-packages.sh).
        pytest.fail(f"{name} not found; run scripts/ensure-system-packages.sh (Debian: zbar-tools, poppler-utils)")
    return path


@pytest.fixture(scope="session")
def rendered() -> dict[str, tuple[object, bytes | None, bytes]]:
    """Every scenario rendered once: name -> (document, cii xml, pdf bytes)."""
    out = {}
    for name, make in S.ALL.items():
        doc = make()
        xml = None if doc.is_draft else S.minimal_cii(doc)
        out[name] = (doc, xml, render_pdf(doc, xml, created_at=S.CREATED))
    return out


@pytest.fixture(scope="session")
def pdf_dir(tmp_path_factory, rendered) -> Path:
    d = tmp_path_factory.mktemp("pdfs")
    for name, (_doc, _xml, pdf) in rendered.items():
        (d / f"{name}.pdf").write_bytes(pdf)
    return d


def pdftotext_pages(path: Path) -> list[str]:
    require_tool("pdftotext")
    out = subprocess.run(
        ["pdftotext", "-layout", "-enc", "UTF-8", str(path), "-"], check=True, capture_output=True
    ).stdout.decode("utf-8")
    pages = out.split("\f")
    if pages and not pages[-1].strip():
        pages.pop()
    return pages


def zbar_decode_page(path: Path, page: int, tmp: Path, dpi: int = 300) -> list[bytes]:
    """Rasterize one page like a scanner would and decode every QR code on it."""
    require_tool("pdftoppm")
    prefix = tmp / f"{path.stem}-p{page}"
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            str(dpi),
            "-gray",
            "-f",
            str(page),
            "-l",
            str(page),
            "-singlefile",
            str(path),
            str(prefix),
        ],
        check=True,
    )
    return zbar_decode(prefix.with_suffix(".png"))


def zbar_decode(png: Path) -> list[bytes]:
    """The QR codes in an image, as the exact bytes they carry.

    -Sbinary stops zbar from guessing a text encoding: without an ECI header it may take
    UTF-8 "ü" for Shift-JIS and hand back different bytes; a banking app reads the EPC
    character-set field instead. With -Sbinary zbarimg prints no newline after a symbol,
    so this supports one QR code per image, which is what our pages carry.
    """
    zbar = require_tool("zbarimg")
    res = subprocess.run(
        [zbar, "--raw", "-q", "-Sdisable", "-Sqrcode.enable", "-Sbinary", str(png)], capture_output=True
    )
    # zbarimg exits 4 when it found no symbol: that is an answer, not an error.
    if res.returncode not in (0, 4):
        raise RuntimeError(res.stderr.decode())
    return [res.stdout] if res.stdout else []
