"""SPARQL for planners: named questions with parameters, run against any store.

Named queries are the ``.rq`` files in ``ontology/queries/``; each begins with a header
comment that this module reads::

    # name: tasks-led-by
    # zh: 某单位牵头的任务
    # en: The tasks a unit leads.
    # param: unit unit  the unit's name, e.g. 工信局
    # returns: one row per task: number, text, section, supporting units
    # example: kg query --name tasks-led-by --param unit=工信局

A ``reads: summary`` line says that the query reads the counts the build materialises in
the summary graph (:mod:`kg.graph.summary`); on a store without them, built by an older
respkg, :func:`check_summary` says to rebuild instead of answering nothing.
A ``param`` line gives the variable, its kind (``unit``, ``person``, ``leader``,
``section``, ``plan``, ``text``, ``int``, ``date``) and a help text, which may end in the
value taken where none is given (``[default: 10]``). Values are never spliced into the query
text: a name is looked up among the ``@zh`` labels of the graph and bound as an RDF term
(rdflib initBindings; for Oxigraph the term written in place of the variable in the WHERE
clause, for a remote server a VALUES block — both written from the RDF term by
:func:`kg.store.results.sparql_term`). Read commands never run an update, and never call
another server (``SERVICE``) unless the caller allows it (:func:`check_no_service`).
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from pathlib import Path

from rdflib import Literal, URIRef, Variable
from rdflib.namespace import XSD

from kg.errors import QueryError
from kg.graph.namespaces import PREFIXES, RK
from kg.resources import ontology_dir
from kg.store.results import TOKENS, QueryDataset, QueryResult, bind_values

__all__ = ["QueryError", "Param", "NamedQuery", "named_queries", "find_named", "check_read_only", "check_no_service",
           "service_line", "resolve_params",
           "run", "check_summary", "bind_values", "QueryResult", "QueryDataset", "PARAM_KINDS", "with_prefixes", "display", "labels_of"]


#: Parameter kinds: the class of the entity a name is looked up in, or a literal type.
PARAM_KINDS = {
    "unit": ("unit", [RK.Unit, RK.UnitGroup]),
    "person": ("person", [RK.Person, RK.Role]),
    "leader": ("city leader", [RK.Person]),
    "section": ("chapter or section", [RK.Section]),
    "plan": ("plan", [RK.Plan]),
    "text": ("text", None),
    "int": ("number", None),
    "date": ("date", None),
}
#: A parameter's default, written at the end of its help text: `… [default: 10]`.
_DEFAULT_RE = re.compile(r"\[default:\s*([^\]]+)\]\s*$")


@dataclass(frozen=True)
class Param:
    """One parameter of a named query."""

    name: str
    kind: str
    help: str

    @property
    def default(self) -> str | None:
        """The value taken where none is given (`[default: 10]` in the help text), or None: required."""
        m = _DEFAULT_RE.search(self.help)
        return m.group(1).strip() if m else None


@dataclass(frozen=True)
class NamedQuery:
    """A named query and what its header says."""

    name: str
    zh: str
    en: str
    params: tuple[Param, ...]
    returns: str
    example: str
    text: str
    path: Path | None = None
    reads: str = ""  # "summary": the answer is the build's counts (kg.graph.summary)


def parse_header(text: str, path: Path | None = None) -> NamedQuery:
    """Read a named query's header comment (see the module docstring)."""
    fields: dict[str, list[str]] = {}
    for line in text.splitlines():
        m = re.match(r"^#\s*(name|zh|en|param|returns|example|reads):\s*(.*)$", line)
        if m:
            fields.setdefault(m.group(1), []).append(m.group(2).strip())
    where = path.name if path else "query"
    if "name" not in fields or "en" not in fields:
        raise QueryError(f"{where}: the header needs at least '# name:' and '# en:' lines")
    params = []
    for p in fields.get("param", []):
        m = re.match(r"^(\w+)\s+(\w+)\s+(.*)$", p)
        if not m or m.group(2) not in PARAM_KINDS:
            raise QueryError(f"{where}: bad '# param: {p}' (expected: NAME KIND HELP, KIND one of "
                             f"{', '.join(PARAM_KINDS)})")
        params.append(Param(m.group(1), m.group(2), m.group(3)))
    return NamedQuery(fields["name"][0], fields.get("zh", [""])[0], fields["en"][0], tuple(params),
                      " ".join(fields.get("returns", [])), " ".join(fields.get("example", [])), text, path,
                      " ".join(fields.get("reads", [])))


def named_queries(folder: Path | None = None) -> dict[str, NamedQuery]:
    """Every named query of ``ontology/queries/``, by name."""
    folder = folder or ontology_dir() / "queries"
    out = {}
    for path in sorted(folder.glob("*.rq")):
        q = parse_header(path.read_text(encoding="utf-8"), path)
        out[q.name] = q
    return out


def find_named(name: str) -> NamedQuery:
    """A named query, or an error listing the close matches."""
    queries = named_queries()
    if name in queries:
        return queries[name]
    close = difflib.get_close_matches(name, list(queries), n=3, cutoff=0.4)
    hint = f"; did you mean {', '.join(close)}?" if close else "; see kg query --list"
    raise QueryError(f"no named query {name!r}{hint}")


def with_prefixes(sparql: str) -> str:
    """The query with the standard prefixes declared (those the query does not declare itself)."""
    declared = {m.lower() for m in re.findall(r"PREFIX\s+([\w-]*):", sparql, re.I)}
    head = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items() if p not in declared)
    return head + sparql


def check_read_only(sparql: str) -> None:
    """Refuse SPARQL Update: read commands never change the graph."""
    body = re.sub(r"#[^\n]*", "", sparql)
    keyword = re.search(r"\b(INSERT|DELETE|LOAD|CLEAR|CREATE|DROP|COPY|MOVE|ADD)\b", body, re.I)
    if not keyword:
        return
    from rdflib.plugins.sparql.parser import parseUpdate  # 0.1 s to import: only for a text that may be one

    try:
        parseUpdate(with_prefixes(sparql))
    except Exception:  # not an update after all (e.g. a literal containing the word)
        return
    raise QueryError(f"this is a SPARQL Update ({keyword.group(1).upper()}); kg query only reads. The graph changes "
                     "only through kg build, which replaces it from the sources")


_CODEPOINT = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


def _codepoints(sparql: str) -> str:
    """The text with ``\\uXXXX`` escapes expanded, as rdflib does before it parses a query (so an
    escaped quote ends a string there, and an escaped letter spells a keyword)."""
    def expand(m: re.Match) -> str:
        code = int(m.group(1) or m.group(2), 16)
        return chr(code) if code <= 0x10FFFF else m.group(0)

    return _CODEPOINT.sub(expand, sparql)


def service_line(sparql: str) -> int | None:
    """The line of the query's first ``SERVICE`` keyword, or None if it has none.

    A scan of the query's tokens, so the word inside a string, an IRI, a comment, a variable
    or a prefixed name (``ex:SERVICE``) does not count. A prefixed name whose prefix is
    ``service`` does count: Oxigraph reads ``SERVICE:x`` as the keyword and the IRI ``:x``.
    Where the engines read a text differently, the scan takes the reading that finds the
    keyword (escapes are expanded as rdflib does, which only ever ends a string sooner).
    """
    text = _codepoints(sparql)
    for m in TOKENS.finditer(text):  # a prefixed name's prefix is group 1, a bare word group 2
        word = m.group(2) if m.group(2) is not None else m.group(1)
        if word is not None and word.upper() == "SERVICE":
            return text.count("\n", 0, m.start()) + 1
    return None


def check_no_service(sparql: str) -> None:
    """Refuse a federated query: ``SERVICE`` makes the engine send the query to the address it
    names, which on a shared machine is a way to probe and read internal services."""
    line = service_line(sparql)
    if line is not None:
        raise QueryError(f"the query calls another server (SERVICE, line {line}); kg query reads the local graph "
                         "only. Pass --allow-service to send it to the server the query names")


def _scoped(dataset: QueryDataset | None) -> dict:
    """The ``dataset`` argument of a store's query, only where one is given."""
    return {"dataset": dataset} if dataset is not None else {}


def _labelled(store, classes: list[URIRef], value: str, dataset: QueryDataset | None = None) -> URIRef | None:
    """The entity of one of ``classes`` whose ``@zh`` label is ``value``, looked up directly (the
    label bound as a term, so a store of a thousand plans answers in milliseconds), or None.

    Within a plan scope, a name that two of its governments use (县财政局 of two counties) is an
    error: the scope was chosen to say which one is meant."""
    values = " ".join(f"<{c}>" for c in classes)
    select, limit = ("SELECT", 1) if dataset is None else ("SELECT DISTINCT", 2)
    result = store.query(f"{select} ?x WHERE {{ VALUES ?class {{ {values} }} ?x "
                         f"<http://www.w3.org/2000/01/rdf-schema#label> ?label ; a ?class }} LIMIT {limit}",
                         {Variable("label"): Literal(value, lang="zh")}, **_scoped(dataset))
    if len(result.rows) > 1:
        found = ", ".join(sorted(str(row[0]) for row in result.rows))
        raise QueryError(f"{value!r} names several entities in the chosen plans ({found}); choose the plans "
                         "of one government with --government or --plan")
    return result.rows[0][0] if result.rows else None


def _label_candidates(store, classes: list[URIRef], dataset: QueryDataset | None = None) -> dict[str, URIRef]:
    values = " ".join(f"<{c}>" for c in classes)
    result = store.query(f"SELECT ?x ?label WHERE {{ VALUES ?class {{ {values} }} ?x a ?class ; "
                         f"<http://www.w3.org/2000/01/rdf-schema#label> ?label }}", {}, **_scoped(dataset))
    return {str(label): x for x, label in result.rows}


def resolve_params(store, query: NamedQuery, given: dict[str, str],
                   dataset: QueryDataset | None = None) -> dict[str, object]:
    """Bind each parameter: names to the entity with that ``@zh`` label, literals typed.

    With ``dataset`` (a plan scope, :func:`kg.analysis.plans.plan_scope`), names are looked up
    among its graphs only: 工信局 is then the unit of the chosen plans' government, not
    whichever county's 工信局 the store lists first."""
    unknown = set(given) - {p.name for p in query.params}
    if unknown:
        raise QueryError(f"query {query.name!r} has no parameter {', '.join(sorted(unknown))}; "
                         f"its parameters: {', '.join(p.name for p in query.params) or 'none'}")
    bindings: dict[str, object] = {}
    for p in query.params:
        if p.name not in given and p.default is None:
            raise QueryError(f"query {query.name!r} needs --param {p.name}=… ({p.help})")
        value = given.get(p.name, p.default)
        _check_text(value, f"--param {p.name}")
        noun, classes = PARAM_KINDS[p.kind]
        if classes is None:
            if p.kind == "int":
                if not re.fullmatch(r"-?\d+", value):
                    raise QueryError(f"--param {p.name}={value!r}: expected a whole number")
                bindings[p.name] = Literal(int(value), datatype=XSD.integer)
            elif p.kind == "date":
                bindings[p.name] = Literal(_iso_date(value, p.name), datatype=XSD.date)
            else:
                bindings[p.name] = Literal(value)
            continue
        found = _labelled(store, classes, value, dataset)
        if found is not None:
            bindings[p.name] = found
            continue
        labels = _label_candidates(store, classes, dataset)  # a miss (or a label without @zh): all names, for hints
        if value in labels:
            bindings[p.name] = labels[value]
            continue
        close = difflib.get_close_matches(value, list(labels), n=3, cutoff=0.3)
        contains = [name for name in labels if value and (value in name or name in value)][:3]
        hints = list(dict.fromkeys(contains + close))[:3]
        hint = f"; did you mean {'、'.join(hints)}?" if hints else ""
        where = "the graph" if dataset is None else "the chosen plans"
        raise QueryError(f"no {noun} named {value!r} in {where}{hint}")
    return bindings


def check_summary(store, query: NamedQuery) -> None:
    """QueryError if ``query`` reads the summary graph and the store has none (an older build)."""
    if query.reads == "summary" and not run(store, "ASK { ?summary a rk:Summary }").boolean:
        raise QueryError(f"query {query.name!r} reads the counts of the summary graph, which this store lacks: "
                         "it was built by an older respkg, or loaded without that graph; run kg build again")


def _iso_date(value: str, name: str) -> str:
    """``value`` if it is an ISO date, else a QueryError saying what was expected."""
    import datetime as dt

    try:
        return dt.date.fromisoformat(value).isoformat()
    except ValueError:
        raise QueryError(f"--param {name}={value!r}: expected a date YYYY-MM-DD, e.g. 2021-09-30") from None


def _check_text(text: str, what: str) -> None:
    """QueryError for text that cannot be sent as UTF-8: undecodable bytes of a command line
    arrive as lone surrogates, which no store accepts."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise QueryError(f"{what}: not UTF-8 text (an undecodable byte at character {exc.start + 1})") from None


def run(store, sparql: str, bindings: dict[str, object] | None = None, allow_service: bool = False,
        dataset: QueryDataset | None = None, base_iri: str | None = None) -> QueryResult:
    """Run a read query on a store, with bound parameters; ``SERVICE`` only with ``allow_service``.

    The query's ``FROM`` / ``FROM NAMED`` define its dataset; ``dataset`` (the protocol's
    parameters) replaces them; with neither, the default graph is the union of the named
    graphs. Relative IRIs resolve against ``base_iri``.
    """
    _check_text(sparql, "the query")
    check_read_only(sparql)
    if not allow_service:
        check_no_service(sparql)
    # only the arguments given: a store written before they existed still answers the rest
    scope = {k: v for k, v in (("dataset", dataset), ("base_iri", base_iri)) if v is not None}
    return store.query(with_prefixes(sparql), {Variable(k) if not isinstance(k, Variable) else k: v
                                               for k, v in (bindings or {}).items()}, **scope)


def _prefixed(iri: str) -> str:
    for prefix, ns in PREFIXES.items():
        if iri.startswith(ns) and re.fullmatch(r"[\w-]+", iri[len(ns):]):
            return f"{prefix}:{iri[len(ns):]}"
    return f"<{iri}>"


def labels_of(store, iris: set[URIRef]) -> dict[URIRef, str]:
    """The ``@zh`` label (else any label) of each IRI, in one query."""
    if not iris:
        return {}
    values = " ".join(i.n3() for i in sorted(iris))
    result = store.query(f"SELECT ?x ?label WHERE {{ VALUES ?x {{ {values} }} "
                         f"?x <http://www.w3.org/2000/01/rdf-schema#label> ?label }}", {})
    out: dict[URIRef, str] = {}
    for x, label in result.rows:
        if x not in out or getattr(label, "language", None) == "zh":
            out[x] = str(label)
    return out


def display(store, result: QueryResult, raw: bool = False) -> tuple[list[str], list[tuple]]:
    """Columns and rows for people: IRIs as their Chinese labels (or prefixed names), literals as values.

    With ``raw``, IRIs are shown whole and nothing is looked up.
    """
    if result.boolean is not None:
        return ["answer"], [("true" if result.boolean else "false",)]
    iris = {t for row in result.rows for t in row if isinstance(t, URIRef)}
    labels = {} if raw else labels_of(store, iris)

    def show(t):
        if t is None:
            return None
        if isinstance(t, URIRef):
            return f"<{t}>" if raw else labels.get(t) or _prefixed(str(t))
        if isinstance(t, Literal):
            value = t.toPython()
            return value if isinstance(value, (int, float, bool)) and not isinstance(value, bool) else str(t)
        return str(t)

    return list(result.columns), [tuple(show(t) for t in row) for row in result.rows]
