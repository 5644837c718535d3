"""What a parser returns: records, findings and what the document says about itself."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from kg.names import clean
from kg.quality import Finding
from kg.records import Task

__all__ = ["ParseResult", "PlanMeta", "read_meta"]

_DOC_NO_RE = re.compile(r"([\u4e00-\u9fff]{1,8}〔(\d{4})〕(\d+)号)")
_DATE_RE = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日")
_ISSUER_RE = re.compile(r"^[\u4e00-\u9fff]{2,12}人民政府(办公室)?$")


@dataclass(frozen=True)
class PlanMeta:
    """The plan's document number, title, issuing body and date, where the text gives them."""

    doc_number: str | None = None
    title: str | None = None
    issuer: str | None = None
    issued: str | None = None  # ISO date
    year: int | None = None


@dataclass
class ParseResult:
    """The records and data-quality findings of one source, and its metadata."""

    tasks: list[Task]
    findings: list[Finding]
    file: str
    layout: str = "grid"
    meta: PlanMeta = field(default_factory=PlanMeta)
    sha256: str | None = None


def read_meta(preamble: str, title: str | None = None) -> PlanMeta:
    """Document number (晋政文〔2021〕16号), issuer, date and year from the text before the table."""
    lines = [clean(line) for line in preamble.split("\n") if line.strip()]
    doc = next((m for m in map(_DOC_NO_RE.search, lines) if m), None)
    date = next((m for m in map(_DATE_RE.search, lines) if m), None)
    issuer = next((line for line in reversed(lines) if _ISSUER_RE.match(line)), None)
    year = int(doc.group(2)) if doc else None
    if year is None and title:
        m = re.match(r"(\d{4})年", clean(title))
        year = int(m.group(1)) if m else None
    return PlanMeta(
        doc_number=doc.group(1) if doc else None,
        title=clean(title) if title else None,
        issuer=issuer,
        issued=f"{date.group(1)}-{int(date.group(2)):02d}-{int(date.group(3)):02d}" if date else None,
        year=year,
    )
