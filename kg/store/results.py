"""What every store answers a query with, and how bound parameters are written into SPARQL.

The result type lives with the stores (not the query layer) so that no store imports the
layer above it. Parameter values reach a query only as RDF terms taken from the graph,
written by :func:`sparql_term` (every quote, backslash and line break escaped).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rdflib import Literal

from kg.errors import QueryError
from kg.graph.namespaces import PREFIXES

__all__ = ["QueryResult", "QueryDataset", "names_dataset", "without_dataset", "TOKENS", "syntax_error", "sparql_term", "bind_values",
           "bind_in_place", "bound_for_oxigraph"]


@dataclass
class QueryResult:
    """Rows of RDF terms (None where unbound), or a boolean for ASK, or triples for CONSTRUCT."""

    columns: list[str]
    rows: list[tuple] = field(default_factory=list)
    boolean: bool | None = None


@dataclass(frozen=True)
class QueryDataset:
    """The dataset a request names with the protocol's ``default-graph-uri`` / ``named-graph-uri``.

    Exactly these graphs: the default graph is the merge of ``default`` (empty if none is
    given), the named graphs are ``named`` (none if none is given), and the query's own
    ``FROM`` / ``FROM NAMED`` count for nothing (SPARQL 1.1 Protocol, §2.1.4). A graph the
    store does not hold is empty.
    """

    default: tuple[str, ...] = ()
    named: tuple[str, ...] = ()

    def __post_init__(self):
        for iri in self.default + self.named:
            if not _IRI.fullmatch(iri):
                raise QueryError(f"{iri!r} is not an absolute IRI; default-graph-uri and named-graph-uri name "
                                 "graphs of the store by their IRI")


_IRI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:[^<>\"{}|^`\\\x00-\x20]*")

#: The tokens of a query that a keyword cannot hide in, each taken whole: long and short strings,
#: IRIs, comments, variables, language tags and prefixed names (prefix: group 1); else a bare
#: word (group 2).
TOKENS = re.compile(r'"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\''
                    r'|"(?:[^"\\\n\r]|\\.)*"|\'(?:[^\'\\\n\r]|\\.)*\'|<[^<>"{}|^`\\\s]*>|#[^\n\r]*'
                    r'|[?$]\w+|@[A-Za-z]+(?:-[A-Za-z0-9]+)*|([\w.-]*):[\w.:%\\-]*|(\w+)', re.S)


def names_dataset(sparql: str) -> bool:
    """Whether the query names its dataset (``FROM`` or ``FROM NAMED``): the keyword outside
    strings, IRIs, comments and names, where SPARQL has it only in a dataset clause."""
    return any(m.group(2) is not None and m.group(2).upper() == "FROM" for m in TOKENS.finditer(sparql))


def without_dataset(sparql: str) -> str:
    """The query with its ``FROM`` / ``FROM NAMED`` clauses cut out, for a server that would merge
    them with the protocol's graphs (Virtuoso does) where the protocol's must replace them."""
    tokens = [m for m in TOKENS.finditer(sparql) if not m.group(0).startswith("#")]
    cuts, i = [], 0
    while i < len(tokens):
        word = tokens[i].group(2)
        if word is not None and word.upper() == "FROM":
            j = i + 1
            if j < len(tokens) and (tokens[j].group(2) or "").upper() == "NAMED":
                j += 1
            if j < len(tokens):
                cuts.append((tokens[i].start(), tokens[j].end()))
                i = j
        i += 1
    for start, end in reversed(cuts):
        sparql = sparql[:start] + " " + sparql[end:]
    return sparql


def syntax_error(sparql: str, message: str) -> QueryError:
    """A QueryError pointing at the line and column of a parser message `error at L:C: …`."""
    m = re.search(r"(\d+):(\d+)", message)
    if not m:
        return QueryError(f"SPARQL syntax error: {message}")
    ours = {f"PREFIX {p}: <{ns}>" for p, ns in PREFIXES.items()}
    lines = sparql.splitlines() or [""]
    added = next((i for i, text in enumerate(lines) if text not in ours), len(lines))
    lines = lines[added:]
    line, col = int(m.group(1)) - added, int(m.group(2))
    text = lines[line - 1].strip() if 0 < line <= len(lines) else ""
    detail = re.sub(r"^error at \d+:\d+:\s*", "", message)
    return QueryError(f"SPARQL syntax error at line {line}, column {col}: {detail} — in: {text!r}")


_ECHAR = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}


def sparql_term(term) -> str:
    """An RDF term as SPARQL text. A literal is always written as a one-line quoted string with
    every quote, backslash and line break escaped: rdflib's ``n3()`` writes text with a line
    break in triple quotes and leaves a final `"` after a backslash unescaped (`a⏎\\"`), which
    breaks the query."""
    if isinstance(term, Literal):
        text = '"' + "".join(_ECHAR.get(c, c) for c in str(term)) + '"'
        if term.language:
            return f"{text}@{term.language}"
        return f"{text}^^<{term.datatype}>" if term.datatype else text
    return term.n3()


def bind_values(sparql: str, bindings: dict) -> str:
    """The query with a VALUES block for each binding at the start of its WHERE clause, and of
    every subquery's: a subquery sees only what it projects, so a parameter it filters on
    (the progress queries' ``?asOf``) must be bound inside it too, as rdflib's initBindings and
    Oxigraph's substitution bind it.

    The block is written from RDF terms (IRIs from the graph, literals escaped by
    :func:`sparql_term`), never from the user's text, so a value cannot change the query.
    """
    if not bindings:
        return sparql
    wheres = [m for m in re.finditer(r"\bWHERE\s*\{", sparql, re.I)
              if "#" not in sparql[sparql.rfind("\n", 0, m.start()) + 1:m.start()]]  # not in a comment
    if not wheres:
        raise QueryError("a query with parameters needs a WHERE { … } clause")
    values = " ".join(f"VALUES ?{k} {{ {sparql_term(v)} }}" for k, v in bindings.items())
    for m in reversed(wheres):
        sparql = sparql[:m.end()] + " " + values + " " + sparql[m.end():]
    return sparql


def _where_body(sparql: str) -> tuple[int, int] | None:
    """The span inside the outermost WHERE { … } (quoted strings and comments skipped), or None."""
    m = re.search(r"\bWHERE\s*\{", sparql, re.I)
    if not m:
        return None
    depth, i, quote = 1, m.end(), None
    while i < len(sparql):
        c = sparql[i]
        if quote:
            if c == "\\":
                i += 1
            elif c == quote:
                quote = None
        elif c in "\"'":
            quote = c
        elif c == "#":
            i = sparql.find("\n", i)
            if i < 0:
                return None
        elif c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
            if depth == 0:
                return m.end(), i
        i += 1
    return None


def bound_for_oxigraph(sparql: str, bindings: dict) -> str:
    """The query as the embedded store runs it: the bindings written in place where they can be
    (:func:`bind_in_place`, which Oxigraph plans by), else bound by VALUES (:func:`bind_values`)."""
    return (bind_in_place(sparql, bindings) if bindings else None) or bind_values(sparql, bindings)


def bind_in_place(sparql: str, bindings: dict) -> str | None:
    """The query with each bound variable replaced inside its WHERE clause by the RDF term
    (:func:`sparql_term`) and bound by a BIND at the clause's start, so it stays a column.

    Oxigraph plans a join, a UNION or an OPTIONAL without looking at a VALUES block outside
    it, so a bound person or section was looked up after scanning every task: a constant in
    the pattern makes it use its index (72 s → under a second at 1,000 county-years). None
    where the variable is also projected by a subquery, which only VALUES can bind.
    """
    span = _where_body(sparql)
    if span is None:
        return None
    start, end = span
    body = sparql[start:end]
    for name, term in bindings.items():
        var = rf"[?$]{re.escape(str(name))}(?!\w)"
        if re.search(rf"SELECT[^{{]*{var}", body, re.I | re.S):
            return None
        text = sparql_term(term)
        # strings and comments are copied as they are; only the variable's tokens change
        tokens = re.compile(rf"\"(?:[^\"\\\n]|\\.)*\"|'(?:[^'\\\n]|\\.)*'|#[^\n]*|{var}")
        body = tokens.sub(lambda m: text if m.group(0)[0] in "?$" else m.group(0), body)
    binds = " ".join(f"BIND({sparql_term(v)} AS ?{k})" for k, v in bindings.items())
    return sparql[:start] + " " + binds + " " + body + sparql[end:]
