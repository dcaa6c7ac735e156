"""Runs compiled Schematron (XSLT 2.0) rules with SaxonC-HE in a process of its own.

Started by `app.einvoice.validation` as `python <this file>`; it talks over stdin/stdout in
length-prefixed frames. Saxon lives here rather than in the web or test process because
SaxonC embeds a GraalVM native image that does not survive fork() and must not be driven
from several threads; a separate, long-lived process with its own interpreter sidesteps both
and keeps compiled stylesheets warm between requests.

This file imports nothing from the application on purpose: the child starts quickly and
does not depend on the parent's import path.

Protocol (all integers big-endian uint32):
  request:  len(header) header-json len(xml) xml-bytes
            header = {"stylesheets": ["/abs/path.xsl", ...]}
            or {"op": "compile", "stylesheets": [...]} to compile (and cache) without running
  response: len(body) body-json
            body = {"ok": true, "results": [[finding, ...], ...]}  one list per stylesheet
            finding = [kind, rule_id, flag, location, text]   kind: "assert" | "report"
            or {"ok": false, "error": "..."}
"""

import json
import os
import struct
import sys

SVRL = "{http://purl.oclc.org/dsdl/svrl}"


def _read_exact(stream, n: int) -> bytes:
    buf = bytearray()
    while len(buf) < n:
        chunk = stream.read(n - len(buf))
        if not chunk:
            raise EOFError
        buf += chunk
    return bytes(buf)


def _read_frame(stream) -> bytes:
    (n,) = struct.unpack(">I", _read_exact(stream, 4))
    return _read_exact(stream, n)


def _write_frame(stream, payload: bytes) -> None:
    stream.write(struct.pack(">I", len(payload)) + payload)
    stream.flush()


def _svrl_findings(svrl: str) -> list[list[str | None]]:
    from lxml import etree

    root = etree.fromstring(svrl.encode("utf-8"))
    found: list[list[str | None]] = []
    for el in root.iter(f"{SVRL}failed-assert", f"{SVRL}successful-report"):
        kind = "assert" if el.tag == f"{SVRL}failed-assert" else "report"
        text_el = el.find(f"{SVRL}text")
        message = " ".join("".join(text_el.itertext()).split()) if text_el is not None else ""
        found.append([kind, el.get("id"), el.get("flag") or el.get("role"), el.get("location"), message])
    return found


def main() -> None:
    # The protocol owns the real stdout; anything native code prints goes to stderr instead,
    # so a stray message can never corrupt a frame.
    proto_out = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    proto_in = sys.stdin.buffer

    from saxonche import PySaxonProcessor

    proc = PySaxonProcessor(license=False)
    xslt = proc.new_xslt30_processor()
    compiled = {}

    while True:
        try:
            header = json.loads(_read_frame(proto_in))
            xml = _read_frame(proto_in)
        except EOFError:
            return
        try:
            if header.get("op") == "compile":
                for path in header["stylesheets"]:
                    if path not in compiled:
                        compiled[path] = xslt.compile_stylesheet(stylesheet_file=path)
                body = {"ok": True, "results": []}
            else:
                node = proc.parse_xml(xml_text=xml.decode("utf-8"))
                results = []
                for path in header["stylesheets"]:
                    executable = compiled.get(path)
                    if executable is None:
                        executable = xslt.compile_stylesheet(stylesheet_file=path)
                        compiled[path] = executable
                    svrl = executable.transform_to_string(xdm_node=node)
                    results.append(_svrl_findings(svrl))
                body = {"ok": True, "results": results}
        except Exception as exc:  # report every failure to the parent; never die silently
            body = {"ok": False, "error": f"{type(exc).__name__}: {exc}"}
        _write_frame(proto_out, json.dumps(body).encode("utf-8"))


if __name__ == "__main__":
    main()
