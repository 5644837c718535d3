"""Our terms as an rdflib namespace, and the prefixes respkg declares for users.

``RK`` is a closed DefinedNamespace: a misspelt term raises at import or call time
instead of minting an IRI nobody declared. tests/test_ontology.py checks that it lists
exactly the terms declared in ``ontology/respkg.ttl``.
"""

from __future__ import annotations

from rdflib import Literal, Namespace
from rdflib.namespace import DCTERMS, FOAF, ORG, OWL, PROV, RDF, RDFS, SDO, SKOS, XSD, DefinedNamespace

__all__ = ["RK", "ONTOLOGY_IRI", "DEFAULT_BASE", "PREFIXES", "plain"]

ONTOLOGY_IRI = "https://w3id.org/respkg"
DEFAULT_BASE = "https://w3id.org/respkg/id/"


class RK(DefinedNamespace):
    """The respkg ontology, ``https://w3id.org/respkg#``."""

    _fail = True
    _NS = Namespace(ONTOLOGY_IRI + "#")

    # classes
    Plan: object
    Section: object
    Task: object
    Unit: object
    UnitGroup: object
    Person: object
    Role: object
    Assignment: object
    Finding: object
    AssignmentRole: object
    Lead: object
    Support: object
    Report: object
    Statement: object
    PlannedTask: object
    Summary: object
    Load: object
    HeadLoad: object
    LeaderLoad: object
    UnitLoad: object
    Result: object
    Goal: object
    Priority: object
    Target: object
    Project: object
    Town: object
    Suggestion: object
    TargetLink: object
    ProgressReport: object
    ProgressEntry: object
    Status: object
    StatusScheme: object
    # the status concepts
    Done: object
    OnTrack: object
    Ahead: object
    Behind: object
    NotStarted: object
    Overdue: object
    NotReported: object
    # object properties
    lead: object
    support: object
    supervisor: object
    responsible: object
    leadLeader: object
    assignment: object
    unit: object
    head: object
    role: object
    member: object
    holder: object
    headedUnit: object
    roleOf: object
    about: object
    target: object
    mentions: object
    governs: object
    suggestion: object
    suggestedUnit: object
    suggestedRole: object
    earlier: object
    later: object
    reportsOn: object
    entry: object
    progressOf: object
    status: object
    # data properties
    number: object
    text: object
    rank: object
    firstLine: object
    lastLine: object
    separateLeads: object
    dueText: object
    dueDate: object
    findingKind: object
    severity: object
    message: object
    evidence: object
    sha256: object
    softwareVersion: object
    taskCount: object
    leadUnitCount: object
    leaderCount: object
    ledCount: object
    supportedCount: object
    unplacedCount: object
    sharedCount: object
    sectionCount: object
    unitCount: object
    partnerCount: object
    fractionalLoad: object
    holderName: object
    holderKind: object
    headedUnitName: object
    measure: object
    measureKey: object
    comparator: object
    targetKind: object
    approximate: object
    score: object
    asOf: object
    period: object
    statusText: object
    percent: object
    progressText: object
    problems: object
    nextSteps: object
    reporter: object
    matchedBy: object


#: Prefixes declared for users' SPARQL and used when terms are shown shortened.
PREFIXES = {
    "rk": str(RK),
    "org": str(ORG),
    "skos": str(SKOS),
    "dcterms": str(DCTERMS),
    "prov": str(PROV),
    "foaf": str(FOAF),
    "rdfs": str(RDFS),
    "rdf": str(RDF),
    "owl": str(OWL),
    "xsd": str(XSD),
    "schema": str(SDO),
}


def plain(term):
    """`"x"^^xsd:string` as the plain literal `"x"`: the same RDF 1.1 term, which rdflib compares unequal."""
    return Literal(str(term)) if isinstance(term, Literal) and term.datatype == XSD.string else term
