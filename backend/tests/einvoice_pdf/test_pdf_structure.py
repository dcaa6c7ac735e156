"""The PDF/A-3b and Factur-X structure of rendered invoices, read back with pikepdf and pypdf."""

import io
import re
from dataclasses import replace
from datetime import UTC, datetime

import pikepdf
import pypdf
import pytest
from app.einvoice.pdf import PdfRenderError, render_pdf
from app.einvoice.pdfa import FACTURX_NS
from lxml import etree
from pikepdf import Name

from . import scenarios as S

FINAL = [n for n in S.ALL if n != "draft"]
NS = {
    "x": "adobe:ns:meta/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "pdfaid": "http://www.aiim.org/pdfa/ns/id/",
    "dc": "http://purl.org/dc/elements/1.1/",
    "pdf": "http://ns.adobe.com/pdf/1.3/",
    "xmp": "http://ns.adobe.com/xap/1.0/",
    "fx": FACTURX_NS,
    "pdfaExtension": "http://www.aiim.org/pdfa/ns/extension/",
    "pdfaSchema": "http://www.aiim.org/pdfa/ns/schema#",
    "pdfaProperty": "http://www.aiim.org/pdfa/ns/property#",
}


def open_pdf(data: bytes) -> pikepdf.Pdf:
    return pikepdf.open(io.BytesIO(data))


def xmp_tree(pdf: pikepdf.Pdf) -> etree._Element:
    meta = pdf.Root.Metadata
    assert Name.Filter not in meta, "PDF/A: the metadata stream must not be filtered"
    return etree.fromstring(meta.read_bytes())


def one(tree, path: str) -> str:
    found = tree.xpath(path, namespaces=NS)
    assert len(found) == 1, path
    return found[0].text if hasattr(found[0], "text") else str(found[0])


def pdf_date_to_dt(value: str) -> datetime:
    m = re.fullmatch(r"D:(\d{14})\+00'00'", value)
    assert m, value
    return datetime.strptime(m.group(1), "%Y%m%d%H%M%S").replace(tzinfo=UTC)


# --------------------------------------------------------------------------- header, ID


@pytest.mark.parametrize("name", list(S.ALL))
def test_file_is_pdf_17_unencrypted_with_a_document_id(rendered, name):
    data = rendered[name][2]
    assert data.startswith(b"%PDF-1.7\n")
    # PDF/A: the second line is a comment with at least four bytes above 127.
    second = data.split(b"\n")[1]
    assert second.startswith(b"%") and sum(b > 127 for b in second[1:5]) == 4
    with open_pdf(data) as pdf:
        assert not pdf.is_encrypted
        assert Name.Encrypt not in pdf.trailer
        ids = pdf.trailer.ID
        assert len(ids) == 2 and all(len(bytes(i)) == 16 for i in ids)
        assert pdf.check_pdf_syntax() == []  # qpdf's own structural check


# --------------------------------------------------------------------------- XMP


@pytest.mark.parametrize("name", list(S.ALL))
def test_xmp_declares_pdfa_3b_and_matches_the_info_dictionary(rendered, name):
    doc, _xml, data = rendered[name]
    with open_pdf(data) as pdf:
        x = xmp_tree(pdf)
        info = pdf.trailer.Info
        assert one(x, "//pdfaid:part") == "3"
        assert one(x, "//pdfaid:conformance") == "B"
        assert one(x, "//dc:title/rdf:Alt/rdf:li") == str(info.Title)
        assert one(x, "//dc:creator/rdf:Seq/rdf:li") == str(info.Author) == doc.seller.name
        assert one(x, "//dc:description/rdf:Alt/rdf:li") == str(info.Subject)
        assert one(x, "//pdf:Producer") == str(info.Producer)
        assert one(x, "//pdf:Keywords") == str(info.Keywords)
        assert one(x, "//xmp:CreatorTool") == str(info.Creator)
        created = datetime.fromisoformat(one(x, "//xmp:CreateDate"))
        assert created == pdf_date_to_dt(str(info.CreationDate)) == S.CREATED
        assert datetime.fromisoformat(one(x, "//xmp:ModifyDate")) == pdf_date_to_dt(str(info.ModDate))
        # No Trapped: its XMP twin pdf:Trapped postdates the XMP 2005 spec PDF/A-3 uses.
        assert Name.Trapped not in info
        raw = bytes(pdf.Root.Metadata.read_bytes())
        assert raw.startswith('<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>'.encode())
        assert b"bytes=" not in raw.split(b"?>")[0] and b"encoding=" not in raw.split(b"?>")[0]


@pytest.mark.parametrize("name", FINAL)
def test_xmp_has_the_facturx_fields_and_describes_their_schema(rendered, name):
    _doc, _xml, data = rendered[name]
    with open_pdf(data) as pdf:
        x = xmp_tree(pdf)
    assert one(x, "//fx:DocumentType") == "INVOICE"
    assert one(x, "//fx:DocumentFileName") == "factur-x.xml"
    assert one(x, "//fx:Version") == "1.0"
    assert one(x, "//fx:ConformanceLevel") == "EN 16931"
    # PDF/A 6.6.2.3: every property outside the predefined schemas must be described
    # by an extension schema in the same packet, with namespace, prefix and each
    # property's name, value type, category and description.
    schemas = x.xpath("//pdfaExtension:schemas/rdf:Bag/rdf:li", namespaces=NS)
    fx = [s for s in schemas if s.findtext("pdfaSchema:namespaceURI", namespaces=NS) == FACTURX_NS]
    assert len(fx) == 1
    schema = fx[0]
    assert schema.findtext("pdfaSchema:prefix", namespaces=NS) == "fx"
    assert schema.findtext("pdfaSchema:schema", namespaces=NS)
    props = schema.xpath("pdfaSchema:property/rdf:Seq/rdf:li", namespaces=NS)
    described = {}
    for p in props:
        described[p.findtext("pdfaProperty:name", namespaces=NS)] = (
            p.findtext("pdfaProperty:valueType", namespaces=NS),
            p.findtext("pdfaProperty:category", namespaces=NS),
            bool(p.findtext("pdfaProperty:description", namespaces=NS)),
        )
    used = {el.tag.split("}")[1] for el in x.iter() if isinstance(el.tag, str) and el.tag.startswith("{" + FACTURX_NS)}
    assert used == {"DocumentType", "DocumentFileName", "Version", "ConformanceLevel"}
    for prop in used:
        assert described[prop] == ("Text", "external", True)


def test_draft_xmp_has_no_facturx_fields(rendered):
    with open_pdf(rendered["draft"][2]) as pdf:
        x = xmp_tree(pdf)
    assert not x.xpath("//fx:*", namespaces=NS)
    assert one(x, "//pdfaid:part") == "3"


# --------------------------------------------------------------------------- the attachment


@pytest.mark.parametrize("name", FINAL)
def test_cii_is_embedded_as_facturx_xml_alternative_and_listed_in_af(rendered, name):
    _doc, xml, data = rendered[name]
    with open_pdf(data) as pdf:
        af = pdf.Root.AF
        assert len(af) == 1
        spec = af[0]
        assert spec.is_indirect
        assert spec.Type == Name.Filespec
        assert str(spec.F) == str(spec.UF) == "factur-x.xml"
        assert spec.AFRelationship == Name.Alternative
        assert str(spec.Desc)
        names = pdf.Root.Names.EmbeddedFiles.Names
        assert str(names[0]) == "factur-x.xml" and names[1].objgen == spec.objgen
        ef = spec.EF.F
        assert ef.Type == Name.EmbeddedFile
        assert ef.Subtype == Name("/text/xml")
        assert int(ef.Params.Size) == len(xml)
        assert pdf_date_to_dt(str(ef.Params.ModDate)) == S.CREATED
        assert ef.read_bytes() == xml
        assert spec.EF.UF.objgen == ef.objgen
        assert pdf.attachments["factur-x.xml"].get_file().read_bytes() == xml


@pytest.mark.parametrize("name", FINAL)
def test_a_second_reader_finds_the_same_xml(rendered, name):
    # pypdf parses independently of qpdf; an invoice reader on the other side might use it.
    _doc, xml, data = rendered[name]
    reader = pypdf.PdfReader(io.BytesIO(data))
    assert reader.attachments == {"factur-x.xml": [xml]}
    assert reader.metadata.title.startswith(("Rechnung Nr.", "Gutschrift Nr."))


def test_draft_has_no_attachment(rendered):
    with open_pdf(rendered["draft"][2]) as pdf:
        assert Name.AF not in pdf.Root
        assert Name.Names not in pdf.Root
        assert len(pdf.attachments) == 0


# --------------------------------------------------------------------------- colour, fonts, transparency


@pytest.mark.parametrize("name", list(S.ALL))
def test_output_intent_is_srgb_with_an_embedded_icc_profile(rendered, name):
    with open_pdf(rendered[name][2]) as pdf:
        intents = pdf.Root.OutputIntents
        assert len(intents) == 1
        oi = intents[0]
        assert oi.Type == Name.OutputIntent
        assert oi.S == Name.GTS_PDFA1
        assert "sRGB" in str(oi.OutputConditionIdentifier)
        icc = oi.DestOutputProfile
        assert int(icc.N) == 3
        profile = icc.read_bytes()
        assert profile[12:16] == b"mntr" and profile[16:20] == b"RGB " and profile[36:40] == b"acsp"
        assert int.from_bytes(profile[:4], "big") == len(profile)
        assert profile[8] in (2, 4)  # ICC v2 or v4, both allowed in PDF/A-3


def _walk_resources(res, seen, fonts, images, gstates):
    if res is None or res.objgen in seen and res.objgen != (0, 0):
        return
    seen.add(res.objgen)
    for _key, font in (res.get(Name.Font) or {}).items():
        fonts.append(font)
    for _key, gs in (res.get(Name.ExtGState) or {}).items():
        gstates.append(gs)
    for _key, xo in (res.get(Name.XObject) or {}).items():
        if xo.Subtype == Name.Image:
            images.append(xo)
        elif xo.Subtype == Name.Form:
            _walk_resources(xo.get(Name.Resources), seen, fonts, images, gstates)


def resources_of(pdf):
    fonts, images, gstates, seen = [], [], [], set()
    for page in pdf.pages:
        _walk_resources(page.obj.get(Name.Resources), seen, fonts, images, gstates)
    return fonts, images, gstates


@pytest.mark.parametrize("name", list(S.ALL))
def test_every_font_is_embedded(rendered, name):
    with open_pdf(rendered[name][2]) as pdf:
        fonts, _images, _gs = resources_of(pdf)
        assert fonts
        for font in fonts:
            descendants = font.get(Name.DescendantFonts)
            for f in [font] + (list(descendants) if descendants else []):
                if f.Subtype == Name.Type0:
                    continue
                desc = f.FontDescriptor
                embedded = [k for k in (Name.FontFile, Name.FontFile2, Name.FontFile3) if k in desc]
                assert embedded, f"font {f.BaseFont} is not embedded"
                # Subsets carry the six-letter tag (PDF 9.6.4).
                assert re.fullmatch(r"/[A-Z]{6}\+.+", str(f.BaseFont)), f.BaseFont


@pytest.mark.parametrize("name", ["standard", "draft"])
def test_no_transparency_anywhere(rendered, name):
    with open_pdf(rendered[name][2]) as pdf:
        _fonts, images, gstates = resources_of(pdf)
        if name == "standard":
            assert images, "the logo should be there"
        for img in images:
            assert Name.SMask not in img and Name.Mask not in img
            assert img.ColorSpace in (Name.DeviceRGB, Name.DeviceGray)
        for gs in gstates:
            assert float(gs.get(Name.CA, 1)) == 1 and float(gs.get(Name.ca, 1)) == 1
            assert gs.get(Name.SMask, Name.None_) == Name.None_
        for page in pdf.pages:
            group = page.obj.get(Name.Group)
            assert group is None or group.get(Name.S) != Name.Transparency


# --------------------------------------------------------------------------- GoBD: same input, same bytes


def test_same_document_and_time_give_identical_bytes():
    doc = S.standard(10, logo=S.logo_png())
    xml = S.minimal_cii(doc)
    a = render_pdf(doc, xml, created_at=S.CREATED)
    b = render_pdf(doc, xml, created_at=S.CREATED)
    assert a == b


def test_any_change_changes_the_document_id():
    doc = S.standard(10)
    xml = S.minimal_cii(doc)
    base = render_pdf(doc, xml, created_at=S.CREATED)
    later = render_pdf(doc, xml, created_at=datetime(2026, 11, 26, 9, 31, tzinfo=UTC))
    other_xml = render_pdf(doc, xml.replace(b"RE-2026-0042", b"RE-2026-0099"), created_at=S.CREATED)
    ids = set()
    for data in (base, later, other_xml):
        with open_pdf(data) as pdf:
            ids.add(bytes(pdf.trailer.ID[0]))
    assert len(ids) == 3


# --------------------------------------------------------------------------- refusals


def test_finalized_invoice_without_xml_is_refused():
    with pytest.raises(PdfRenderError):
        render_pdf(S.standard(2), None)


def test_draft_with_xml_is_refused():
    with pytest.raises(PdfRenderError):
        render_pdf(S.draft(), b"<x/>")


def test_naive_timestamp_is_refused():
    doc = S.standard(2)
    with pytest.raises(ValueError):
        render_pdf(doc, S.minimal_cii(doc), created_at=datetime(2026, 11, 26, 9, 30))


def test_invoice_without_lines_is_refused():
    doc = replace(S.standard(2), lines=())
    with pytest.raises(PdfRenderError):
        render_pdf(doc, S.minimal_cii(doc))


def test_unreadable_logo_does_not_stop_the_invoice():
    doc = S.standard(2, logo=b"not an image")
    data = render_pdf(doc, S.minimal_cii(doc), created_at=S.CREATED)
    with open_pdf(data) as pdf:
        _fonts, images, _gs = resources_of(pdf)
        assert images == []


def test_cmyk_jpeg_logo_becomes_rgb():
    from PIL import Image

    buf = io.BytesIO()
    Image.new("CMYK", (300, 100), (0, 120, 200, 30)).save(buf, "JPEG")
    doc = S.standard(2, logo=buf.getvalue())
    with open_pdf(render_pdf(doc, S.minimal_cii(doc), created_at=S.CREATED)) as pdf:
        _fonts, images, _gs = resources_of(pdf)
        assert [img.ColorSpace for img in images] == [Name.DeviceRGB]
