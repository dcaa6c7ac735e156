"""Turn a drawn PDF into a PDF/A-3b file, optionally a ZUGFeRD / Factur-X invoice.

The layout is drawn by reportlab (fast), but reportlab's own writer does not produce
PDF/A: it ends binary streams without the end-of-line that ISO 19005 requires before
`endstream`, writes no XMP, no output intent and no associated files. So the drawn bytes
go once through qpdf (pikepdf), which rewrites the file syntax correctly, while we add:

- the XMP packet with pdfaid part 3 / conformance B, Dublin Core and the Factur-X
  extension schema (ZUGFeRD 2 / Factur-X 1.0 specification, section "XMP"),
- a document information dictionary that says exactly what the XMP says (PDF/A 6.6.3),
- the sRGB output intent with the ICC profile shipped in the pikepdf wheel,
- the CII XML as embedded file `factur-x.xml` with AFRelationship /Alternative, listed in
  the EmbeddedFiles name tree and in the catalog's /AF array (PDF/A-3, 6.8),
- a content-derived document ID, so identical input gives identical bytes (GoBD).
"""

import hashlib
import io
import zlib
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from importlib import resources
from xml.sax.saxutils import escape

import pikepdf
from pikepdf import Array, Dictionary, Name, String

FACTURX_FILENAME = "factur-x.xml"
FACTURX_NS = "urn:factur-x:pdfa:CrossIndustryDocument:invoice:1p0#"
OUTPUT_CONDITION = "sRGB IEC61966-2.1"


@dataclass(frozen=True)
class PdfMeta:
    title: str
    author: str
    subject: str
    keywords: str
    created: datetime  # timezone-aware
    lang: str = "de-DE"
    creator_tool: str = "RechnungsWerk"
    producer: str = "RechnungsWerk (reportlab, qpdf)"


@dataclass(frozen=True)
class FacturX:
    """The embedded e-invoice and what the XMP says about it."""

    xml: bytes
    conformance_level: str = "EN 16931"  # Factur-X profile name as written in the XMP
    document_type: str = "INVOICE"  # Factur-X 1.0 knows INVOICE (credit notes included)
    version: str = "1.0"
    description: str = "Rechnung im Format ZUGFeRD / Factur-X (UN/CEFACT CII)"


@cache
def srgb_icc() -> bytes:
    # Read as package data without importing pikepdf.pdfa, whose validator needs extra
    # libraries we only install for the tests.
    return (resources.files("pikepdf") / "pdfa" / "data" / "sRGB.icc").read_bytes()


@cache
def _srgb_icc_flate() -> bytes:
    return zlib.compress(srgb_icc(), 9)


def _utc(value: datetime) -> datetime:
    if value.tzinfo is None:
        raise ValueError("PDF timestamps must be timezone-aware")
    return value.astimezone(UTC).replace(microsecond=0)


def pdf_date(value: datetime) -> str:
    """ISO 32000 date string, UTC: D:20261126093000+00'00'."""
    return _utc(value).strftime("D:%Y%m%d%H%M%S+00'00'")


def xmp_date(value: datetime) -> str:
    return _utc(value).strftime("%Y-%m-%dT%H:%M:%S+00:00")


def _x(text: str) -> str:
    return escape(text, {'"': "&quot;"})


def _facturx_schema() -> str:
    # The PDF/A extension schema description: PDF/A only allows XMP properties from
    # predefined schemas or from schemas described in the packet itself.
    props = [
        ("DocumentFileName", "The name of the embedded XML document"),
        ("DocumentType", "The type of the hybrid document in capital letters, e.g. INVOICE or ORDER"),
        ("Version", "The actual version of the standard applying to the embedded XML document"),
        ("ConformanceLevel", "The conformance level of the embedded XML document"),
    ]
    items = "".join(
        '<rdf:li rdf:parseType="Resource">'
        f"<pdfaProperty:name>{name}</pdfaProperty:name>"
        "<pdfaProperty:valueType>Text</pdfaProperty:valueType>"
        "<pdfaProperty:category>external</pdfaProperty:category>"
        f"<pdfaProperty:description>{_x(desc)}</pdfaProperty:description>"
        "</rdf:li>\n"
        for name, desc in props
    )
    return (
        '<rdf:Description rdf:about=""'
        ' xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/"'
        ' xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#"'
        ' xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#">\n'
        "<pdfaExtension:schemas><rdf:Bag>"
        '<rdf:li rdf:parseType="Resource">'
        "<pdfaSchema:schema>Factur-X PDFA Extension Schema</pdfaSchema:schema>"
        f"<pdfaSchema:namespaceURI>{FACTURX_NS}</pdfaSchema:namespaceURI>"
        "<pdfaSchema:prefix>fx</pdfaSchema:prefix>"
        f"<pdfaSchema:property><rdf:Seq>\n{items}</rdf:Seq></pdfaSchema:property>"
        "</rdf:li>"
        "</rdf:Bag></pdfaExtension:schemas>\n"
        "</rdf:Description>\n"
    )


def xmp_packet(meta: PdfMeta, facturx: FacturX | None) -> bytes:
    created = xmp_date(meta.created)
    parts = [
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>\n',
        '<x:xmpmeta xmlns:x="adobe:ns:meta/">\n',
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n',
        '<rdf:Description rdf:about="" xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/">'
        "<pdfaid:part>3</pdfaid:part><pdfaid:conformance>B</pdfaid:conformance>"
        "</rdf:Description>\n",
        '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">'
        "<dc:format>application/pdf</dc:format>"
        f'<dc:title><rdf:Alt><rdf:li xml:lang="x-default">{_x(meta.title)}</rdf:li></rdf:Alt></dc:title>'
        f"<dc:creator><rdf:Seq><rdf:li>{_x(meta.author)}</rdf:li></rdf:Seq></dc:creator>"
        f'<dc:description><rdf:Alt><rdf:li xml:lang="x-default">{_x(meta.subject)}</rdf:li></rdf:Alt></dc:description>'
        f"<dc:language><rdf:Bag><rdf:li>{_x(meta.lang)}</rdf:li></rdf:Bag></dc:language>"
        "</rdf:Description>\n",
        '<rdf:Description rdf:about="" xmlns:pdf="http://ns.adobe.com/pdf/1.3/">'
        f"<pdf:Producer>{_x(meta.producer)}</pdf:Producer>"
        f"<pdf:Keywords>{_x(meta.keywords)}</pdf:Keywords>"
        "</rdf:Description>\n",
        '<rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/">'
        f"<xmp:CreatorTool>{_x(meta.creator_tool)}</xmp:CreatorTool>"
        f"<xmp:CreateDate>{created}</xmp:CreateDate>"
        f"<xmp:ModifyDate>{created}</xmp:ModifyDate>"
        f"<xmp:MetadataDate>{created}</xmp:MetadataDate>"
        "</rdf:Description>\n",
    ]
    if facturx is not None:
        parts.append(_facturx_schema())
        parts.append(
            f'<rdf:Description rdf:about="" xmlns:fx="{FACTURX_NS}">'
            f"<fx:DocumentType>{_x(facturx.document_type)}</fx:DocumentType>"
            f"<fx:DocumentFileName>{FACTURX_FILENAME}</fx:DocumentFileName>"
            f"<fx:Version>{_x(facturx.version)}</fx:Version>"
            f"<fx:ConformanceLevel>{_x(facturx.conformance_level)}</fx:ConformanceLevel>"
            "</rdf:Description>\n"
        )
    parts.append("</rdf:RDF>\n</x:xmpmeta>\n")
    # Padding lets an editor update the packet in place; PDF/A readers expect the
    # conventional trailer.
    parts.append((" " * 99 + "\n") * 10)
    parts.append('<?xpacket end="w"?>')
    return "".join(parts).encode("utf-8")


def _embed_facturx(pdf: pikepdf.Pdf, facturx: FacturX, created: datetime) -> None:
    data = facturx.xml
    ef = pikepdf.Stream(pdf, b"")
    ef.write(zlib.compress(data, 6), filter=Name.FlateDecode)
    ef.Type = Name.EmbeddedFile
    ef.Subtype = Name("/text/xml")  # written as /text#2Fxml, the MIME type as a name
    ef.Params = Dictionary(
        Size=len(data),
        ModDate=String(pdf_date(created)),
        CheckSum=String(hashlib.md5(data, usedforsecurity=False).digest()),
    )
    filespec = pdf.make_indirect(
        Dictionary(
            Type=Name.Filespec,
            F=String(FACTURX_FILENAME),
            UF=String(FACTURX_FILENAME),
            Desc=String(facturx.description),
            AFRelationship=Name.Alternative,
            EF=Dictionary(F=ef, UF=ef),
        )
    )
    pdf.Root.Names = Dictionary(EmbeddedFiles=Dictionary(Names=Array([String(FACTURX_FILENAME), filespec])))
    pdf.Root.AF = Array([filespec])


def _output_intent(pdf: pikepdf.Pdf) -> pikepdf.Object:
    icc = pikepdf.Stream(pdf, b"")
    icc.write(_srgb_icc_flate(), filter=Name.FlateDecode)
    icc.N = 3
    return Dictionary(
        Type=Name.OutputIntent,
        S=Name.GTS_PDFA1,
        OutputConditionIdentifier=String(OUTPUT_CONDITION),
        Info=String(OUTPUT_CONDITION),
        RegistryName=String("http://www.color.org"),
        DestOutputProfile=icc,
    )


def finish_pdfa3(drawn: bytes, meta: PdfMeta, facturx: FacturX | None) -> bytes:
    """Rewrite reportlab's output as PDF/A-3b, with the Factur-X XML when given."""
    with pikepdf.open(io.BytesIO(drawn)) as pdf:
        root = pdf.Root
        for page in pdf.pages:
            # reportlab writes an empty page transition dictionary; it means nothing
            # and validators that allow-list keys reject it.
            if Name.Trans in page.obj:
                del page.obj[Name.Trans]
        for obj in pdf.objects:
            # reportlab writes /Filter [/FlateDecode]; qpdf treats a one-element array as
            # a filter chain it must decode and compress again (~4 ms per invoice), a
            # plain name it passes through untouched.
            if isinstance(obj, pikepdf.Stream):
                flt = obj.get(Name.Filter)
                if isinstance(flt, Array) and len(flt) == 1:
                    obj.Filter = flt[0]
        if Name.Outlines in root:
            del root[Name.Outlines]
        root.Lang = String(meta.lang)
        root.Metadata = pdf.make_stream(xmp_packet(meta, facturx), Type=Name.Metadata, Subtype=Name.XML)
        root.OutputIntents = Array([_output_intent(pdf)])
        if facturx is not None:
            _embed_facturx(pdf, facturx, meta.created)
        created = pdf_date(meta.created)
        # The Info dictionary holds exactly the entries the XMP mirrors (6.6.3); reportlab's
        # placeholders ("anonymous", Trapped) would contradict it.
        pdf.trailer.Info = pdf.make_indirect(
            Dictionary(
                Title=String(meta.title),
                Author=String(meta.author),
                Subject=String(meta.subject),
                Keywords=String(meta.keywords),
                Creator=String(meta.creator_tool),
                Producer=String(meta.producer),
                CreationDate=String(created),
                ModDate=String(created),
            )
        )
        # reportlab's ID is a constant in invariant mode, and qpdf keeps the first ID
        # element of its input; without one it derives both from the content.
        if Name.ID in pdf.trailer:
            del pdf.trailer.ID
        out = io.BytesIO()
        pdf.save(
            out,
            # The ID is a hash of the content: unique per document, yet the same bytes
            # for the same invoice and timestamp, so an archived PDF can be re-verified.
            deterministic_id=True,
            force_version="1.7",
            compress_streams=True,
            # Object streams are allowed in PDF/A-3; without them the file keeps a plain
            # cross-reference table that any tool can inspect. They would save ~1 KB.
            object_stream_mode=pikepdf.ObjectStreamMode.disable,
            stream_decode_level=pikepdf.StreamDecodeLevel.generalized,
            preserve_pdfa=True,
            fix_metadata_version=False,
            normalize_content=False,
        )
        return out.getvalue()


def embedded_facturx_xml(pdf_bytes: bytes) -> bytes | None:
    """The factur-x.xml a ZUGFeRD PDF carries, or None (what a recipient's software reads)."""
    import io

    with pikepdf.open(io.BytesIO(pdf_bytes)) as pdf:
        spec = pdf.attachments.get("factur-x.xml")
        return bytes(spec.get_file().read_bytes()) if spec is not None else None
