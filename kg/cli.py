"""The ``kg`` command: a thin layer over the library.

Each command parses its options, calls one library function and formats the result.
Errors of the library (:class:`kg.errors.RespkgError`) become one-line messages with
exit code 1; wrong invocations get click's usage errors (exit 2).
"""

from __future__ import annotations

import functools
import re
import shutil
import sys
from pathlib import Path

import click

from kg import __version__, quality, records, resources

from kg.views import tables
from kg.errors import InputError, RespkgError
from kg.output import write_atomic, write_atomic_with
from kg.parse import ParseResult
from kg.read.reading import plan_findings

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


def _fail_cleanly(fn):
    """Turn library errors into click's `Error: …` with exit 1, never a traceback."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except RespkgError as exc:
            raise click.ClickException(str(exc)) from None

    return wrapper


def _emit(text: str, output: str | None) -> None:
    """Print to stdout, or write the file atomically when -o is given."""
    if output in (None, "-"):
        click.echo(text, nl=False)
    else:
        write_atomic(output, text)
        click.echo(f"wrote {output}", err=True)


def _width() -> int:
    return max(80, shutil.get_terminal_size((140, 24)).columns)


def source_argument(fn):
    """The optional FILE argument: a source text, the bundled 2021 table by default."""
    return click.argument("file", required=False, type=click.Path(dir_okay=True, path_type=Path))(fn)


def output_option(fn):
    return click.option("-o", "--output", metavar="OUT", help="Write to OUT (atomically) instead of stdout.")(fn)


def report_format_option(fn):
    """--format of the reports: a terminal table, Markdown, CSV or JSON."""
    return click.option("--format", "fmt", type=click.Choice(["table", "markdown", "csv", "json"]), default="table",
                        show_default=True)(fn)


def _parse(file: Path | None, layout: str | None = None) -> ParseResult:
    """The plan of a source file (the bundled table if none); a report or a progress source is an error here."""
    from kg.build import load_sources

    return load_sources([file] if file is not None else None, layout)[0]


def layout_option(fn):
    """--layout: skip detection and read the source in this layout."""
    from kg.parse import LAYOUTS

    return click.option("--layout", type=click.Choice(list(LAYOUTS)), default=None,
                        help="The source's layout  [default: detected]")(fn)


def store_options(fn):
    """--store, --store-dir, --endpoint …: where the graph lives (see docs/stores.md)."""
    fn = click.option("--gsp-url", metavar="URL", envvar="RESPKG_GSP_URL",
                      help="Graph Store Protocol URL for uploads (else INSERT DATA)  [env RESPKG_GSP_URL]")(fn)
    fn = click.option("--update-url", metavar="URL", envvar="RESPKG_UPDATE_URL",
                      help="SPARQL Update URL  [default: the endpoint URL; env RESPKG_UPDATE_URL]")(fn)
    fn = click.option("--endpoint", metavar="URL", envvar="RESPKG_ENDPOINT",
                      help="A SPARQL 1.1 server's query URL instead of the embedded store; credentials from "
                           "RESPKG_ENDPOINT_USER / RESPKG_ENDPOINT_PASSWORD  [env RESPKG_ENDPOINT]")(fn)
    fn = click.option("--store-dir", metavar="DIR", envvar="RESPKG_STORE_DIR",
                      help="Folder of the embedded store  [default: .respkg/store; env RESPKG_STORE_DIR]")(fn)
    fn = click.option("--store", "store_kind", metavar="KIND", envvar="RESPKG_STORE",
                      help="oxigraph (embedded, persistent) or memory (rdflib, nothing kept)  "
                           "[default: oxigraph; env RESPKG_STORE]")(fn)
    return fn


def sources_argument(fn):
    return click.argument("files", nargs=-1, type=click.Path(path_type=Path))(fn)


def _open_store(opts: dict):
    """The store the --store / --store-dir / --endpoint options name."""
    from kg.store.embedded import open_store

    if opts.get("endpoint"):
        from kg.store.endpoint import EndpointStore, endpoint_from

        return EndpointStore(endpoint_from(opts["endpoint"], opts.get("update_url"), opts.get("gsp_url")))
    return open_store(opts.get("store_kind"), opts.get("store_dir"))


def _read_store(opts: dict):
    """The store to read; for --store memory, the bundled table built in memory."""
    from kg.store.embedded import MemoryStore

    store = _open_store(opts)
    if isinstance(store, MemoryStore):
        from kg.build import dataset_from  # the parsers and graph builders: not for a store on disk

        store.replace(dataset_from(None)[0])
    return store


def _read_dataset(files, opts: dict, layout: str | None = None):
    """The graph to read: built in memory from FILES if given, else the store's."""
    from kg.build import assemble, load_documents

    if files:
        return assemble(load_documents(list(files), layout))
    return _read_store(opts).dataset()


@click.group(context_settings=CONTEXT)
@click.version_option(__version__, "-V", "--version", prog_name="kg")
def main():
    """respkg 责任知识图谱 — a knowledge graph of government responsibilities (政府工作报告目标任务责任分解).

    \b
    Example:
        kg run            # the main job on the bundled 2021 Jinjiang table
        kg parse -o tasks.jsonl
        kg quality
    """


@main.command()
@source_argument
@layout_option
@click.option("--format", "fmt", type=click.Choice(["jsonl", "csv", "table"]), default="jsonl",
              show_default=True, help="Records as JSON Lines, CSV (one row per task) or a terminal table.")
@output_option
@_fail_cleanly
def parse(file, layout, fmt, output):
    """解析责任分解表 — Parse a responsibility table into task records.

    FILE is the text of a 目标任务责任分解表 (UTF-8 or GBK); by default the bundled
    2021 Jinjiang table. The records format is described in docs/records.md.

    \b
    Example:
        kg parse                              # JSON Lines to stdout
        kg parse data/raw/004_89d412a27e51e6a9.txt --format table
        kg parse my_table.txt --format csv -o tasks.csv
        kg parse notice.txt --layout clauses
    """
    result = _parse(file, layout)
    if fmt == "jsonl":
        text = records.dump_jsonl(result.tasks)
    else:
        rows = [records.flat_row(t) for t in result.tasks]
        text = tables.render(records.FLAT_COLUMNS, rows, fmt, width=_width(),
                             title=f"{len(rows)} tasks from {result.file}")
    _emit(text, output)


def as_of_option(help: str):
    """--as-of YYYY-MM-DD, checked to be a date (the progress commands)."""
    return click.option("--as-of", "as_of", metavar="YYYY-MM-DD", callback=lambda c, p, v: _iso_date(v, "--as-of"),
                        help=help)


def progress_options(fn):
    """--plan and --as-of: what a progress source's title may leave unsaid (kg build, kg quality)."""
    fn = as_of_option("The date of the progress sources whose titles give none (截至…, 第三季度, 1-11月).")(fn)
    return click.option("--plan", "progress_plan", metavar="PLAN",
                        help="The plan the progress sources report on where their titles cite none and several "
                             "plans are loaded (document number 晋政文〔2021〕16号 or file).")(fn)


@main.command("quality")
@sources_argument
@layout_option
@progress_options
@click.option("--format", "fmt", type=click.Choice(["table", "json", "markdown"]), default="table",
              show_default=True)
@click.option("--severity", type=click.Choice(quality.SEVERITIES), default="info", show_default=True,
              help="Show findings of this severity and worse.")
@click.option("--kind", "kinds", multiple=True, type=click.Choice(list(quality.KINDS)),
              help="Only findings of this kind (repeatable).")
@output_option
@_fail_cleanly
def quality_cmd(files, layout, progress_plan, as_of, fmt, severity, kinds, output):
    """数据质量报告 — Report what the parser could not resolve with certainty.

    Lists head/unit alignments resolved from other rows or left open, heads that differ
    from a unit's usual head, names seen once close to a frequent one, numbering gaps or
    duplicates, tasks without a lead unit or a city leader — each with its task number,
    source lines and evidence. The records keep what the source says; this report says
    what looks wrong. With several FILES it also lists how their units and people were
    reconciled: one entity per name within a government, kept apart across governments.
    Texts are read too: numbers left unresolved, borderline project names. A report among
    FILES (kg quality data/raw/001_….txt) lists its statements without a year and the
    blocks left out; a progress source with its plan, the rows matched by text, matched
    to no task, twice, or with a status or percentage out of the scheme; by default,
    the bundled 2021 table alone.

    \b
    Example:
        kg quality
        kg quality --severity warning --format markdown -o quality.md
        kg quality --kind head-differs --kind rare-spelling
        kg quality plan2021.txt plan2022.xlsx
    """
    from kg.build import Documents, load_documents, load_sources
    from kg.analysis.plans import reconciliation

    docs = load_documents(list(files), layout, progress_plan, as_of) if files else \
        Documents(load_sources(None, layout), [])
    results = docs.plans
    limit = quality.SEVERITIES.index(severity)

    def keep(found):
        return [f for f in quality.sort_findings(found)
                if quality.SEVERITIES.index(f.severity) <= limit and (not kinds or f.kind in kinds)]

    parts = [(f"{len(kept)} findings for {r.file} ({len(r.tasks)} tasks)", kept)
             for r in results for kept in [keep(plan_findings(r))]]
    parts += [(f"{len(kept)} findings for {r.file} ({r.kind}, {len(r.statements)} statements)", kept)
              for r in docs.reports for kept in [keep(list(r.findings))]]
    parts += [(f"{len(kept)} findings for {p.source.file} (progress as of {p.as_of}, {len(p.entries)} tasks)", kept)
              for p in docs.progress for kept in [keep(p.findings)]]
    if len(results) > 1:
        kept = keep(reconciliation(results))
        parts.append((f"{len(kept)} findings on reconciling the {len(results)} plans", kept))
    if fmt == "json":
        import json

        doc = [quality.finding_to_json(f) for _, found in parts for f in found] if len(parts) == 1 else \
            {title: [quality.finding_to_json(f) for f in found] for title, found in parts}
        text = json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
    else:
        text = "\n".join(tables.render(quality.FINDING_COLUMNS, [quality.finding_row(f) for f in found], fmt,
                                       width=_width(), title=title) for title, found in parts)
    _emit(text, output)


def _iso_date(value: str | None, option: str) -> str | None:
    """``value`` if it is an ISO date (YYYY-MM-DD), else a usage error naming the option."""
    import datetime as dt

    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value).isoformat()
    except ValueError:
        raise click.BadParameter(f"{value!r} is no date; expected YYYY-MM-DD, e.g. 2021-09-30",
                                 param_hint=option) from None


@main.command()
@sources_argument
@layout_option
@store_options
@click.option("--base-iri", default=None, metavar="IRI", help="Base of the data IRIs  [default: https://w3id.org/respkg/id/]")
@click.option("--wait", type=float, default=0.0, show_default=True, metavar="SECONDS",
              help="Wait this long for another build to release the store.")
@click.option("--processes", type=click.IntRange(min=1), default=None, metavar="N",
              help="Read and write the sources in N worker processes  [default: one per core]; 1: all in this one.")
@progress_options
@_fail_cleanly
def build(files, layout, base_iri, wait, processes, progress_plan, as_of, **opts):
    """构建知识图谱 — Build the knowledge graph from sources and load it into the store.

    FILES are responsibility tables (text, spreadsheets, or records files .jsonl from
    kg parse), narrative reports (work reports, digests, town plans: texts that are
    no table) and progress sources (tables with 进展情况/完成状态/完成比例 columns: the
    units' quarterly returns, docs/progress.md); by default the bundled 2021 table and the
    four bundled reports. Each plan, report and progress source becomes a named graph; inferred links (suggested units for planned
    tasks, targets linked across years) go in the graph …/inferred, the build's
    provenance (sources with SHA-256, time, respkg version) in one of its own.
    The store's previous content is replaced atomically: a failed build leaves it intact.

    \b
    Example:
        kg build                                   # into .respkg/store
        kg build data/raw/004_89d412a27e51e6a9.txt --store-dir /srv/respkg
        kg build tasks.jsonl --store memory        # build and check, keep nothing
        kg build plan.txt 2021-q2.xlsx 2021-q3.xlsx # a plan and two quarters' progress
    """
    from kg.build import build as build_graph
    from kg.graph.namespaces import DEFAULT_BASE

    summary = build_graph(list(files), _open_store(opts), base_iri or DEFAULT_BASE, wait, progress_plan, as_of,
                          layout, processes)
    sources = summary.sources
    named = ", ".join(sources) if len(sources) <= 6 else f"{len(sources)} sources ({', '.join(sources[:3])}, …, {sources[-1]})"
    click.echo(f"Built {summary.triples} triples in {summary.graphs} named graphs from {named} "
               f"({summary.tasks} tasks) into the {summary.store} in {summary.seconds:.2f} s.")
    for p in summary.progress:
        unmatched = sum(1 for f in p.findings if f.kind == "progress-unmatched")
        click.echo(f"Progress {p.source.file}: {len(p.entries)} tasks reported as of {p.as_of} on "
                   f"{p.plan.meta.doc_number or p.plan.file}; {unmatched} rows matched no task; "
                   f"{len(p.findings)} findings (kg quality lists them with the same FILES).")


EXPORT_FORMATS = {"ttl": "turtle", "nt": "nt", "nq": "nquads", "trig": "trig", "jsonld": "json-ld"}
SHEET_FORMATS = ("xlsx", "csv")
#: The formats the embedded store writes by itself (Oxigraph's serialisers, streamed to the file).
STREAMED = ("ttl", "nt", "nq", "trig")


@main.command()
@sources_argument
@layout_option
@store_options
@click.option("--format", "fmt", type=click.Choice(list(EXPORT_FORMATS) + list(SHEET_FORMATS)), default="ttl",
              show_default=True,
              help="RDF: Turtle and N-Triples hold the union of the plans; TriG, N-Quads and JSON-LD keep the named "
                   "graphs. Sheets: xlsx (tasks and findings) or csv, the records of one source, editable and readable "
                   "back by kg parse / kg build.")
@click.option("--template", type=click.Choice(["progress"]),
              help="With --format xlsx: the progress fill-in sheet of a unit's tasks instead of the records "
                   "(docs/progress.md).")
@click.option("--unit", metavar="NAME", help="The unit of the fill-in sheet, e.g. 科技局  [default: one sheet per lead unit]")
@as_of_option("The date the fill-in sheet reports up to, written into its title  [default: a blank to fill]")
@click.option("--plan", metavar="PLAN", help="The plan among FILES whose tasks the fill-in sheet lists "
                                             "(document number or file).")
@output_option
@_fail_cleanly
def export(files, layout, fmt, template, unit, as_of, plan, output, **opts):
    """导出图谱或表格 — Write the graph in an RDF format, or the records as a spreadsheet.

    RDF formats read the store (kg build first), or build in memory from FILES if given.
    xlsx and csv write the records of one source (the bundled table by default) with one
    row per task, units and heads in readable columns, and for xlsx a second sheet with
    the data-quality findings; kg parse and kg build read them back to the same records.

    \b
    Example:
        kg export -o respkg.ttl
        kg export --format trig -o respkg.trig
        kg export data/raw/004_89d412a27e51e6a9.txt --format nt
        kg export --format xlsx -o tasks.xlsx
        kg export --format xlsx --template progress --unit 科技局 --as-of 2021-09-30 -o 科技局.xlsx
    """
    if template:
        _export_template(files, layout, fmt, unit, as_of, plan, output)
        return
    if unit or as_of or plan:
        raise click.UsageError("--unit, --as-of and --plan go with --template progress")
    if fmt in SHEET_FORMATS:
        from kg.views import sheet
        from kg.build import load_sources

        if len(files) > 1:
            raise click.UsageError(f"--format {fmt} writes the records of one source; give at most one FILE")
        if not output or output == "-":
            raise click.UsageError(f"--format {fmt} needs -o FILE.{fmt}")
        [result] = load_sources(list(files) or None, layout)
        if fmt == "xlsx":
            sheet.write_xlsx(output, result)
        else:
            sheet.write_csv(output, result.tasks)
        click.echo(f"wrote {output}: {len(result.tasks)} tasks", err=True)
        return
    store = None if files else _read_store(opts)
    if fmt in STREAMED and hasattr(store, "dump"):  # the embedded store writes itself, streamed
        if output in (None, "-"):
            store.dump(click.get_binary_stream("stdout"), fmt)
        else:
            write_atomic_with(output, lambda fh: store.dump(fh, fmt))
            click.echo(f"wrote {output}", err=True)
        return
    from kg.graph.validate import union_graph

    ds = _read_dataset(files, opts, layout)
    data = union_graph(ds) if fmt in ("ttl", "nt") else ds
    _emit(data.serialize(format=EXPORT_FORMATS[fmt]), output)


def _export_template(files, layout, fmt, unit, as_of, plan, output) -> None:
    """kg export --template progress: the fill-in sheets of one unit, or of every lead unit."""
    from kg import names
    from kg.build import load_sources
    from kg.read.progress import plan_names
    from kg.views import sheet

    if fmt != "xlsx":
        raise click.UsageError("--template progress writes a workbook: --format xlsx")
    if not output or output == "-" or not output.lower().endswith(".xlsx"):
        raise click.UsageError("--template progress needs -o FILE.xlsx")
    plans = load_sources(list(files) or None, layout)
    chosen = [p for p in plans if plan in plan_names(p)] if plan else plans
    if len(chosen) != 1:
        loaded = "、".join(p.meta.doc_number or p.file for p in plans)
        raise InputError(f"--plan {plan!r} names none of the plans given ({loaded})" if plan else
                         f"several plans given ({loaded}): name the one of the sheet with --plan")
    [result] = chosen
    units = list(dict.fromkeys(u.name for t in result.tasks for u in t.units))
    if unit and unit not in units:
        close = names.close_names(unit, units)
        raise InputError(f"no unit named {unit!r} in {result.meta.doc_number or result.file}"
                         + (f"; did you mean {'、'.join(close)}?" if close else ""))
    chosen_units = [unit] if unit else list(dict.fromkeys(u.name for t in result.tasks for u in t.leads))
    sheet.write_progress_template(output, result, chosen_units, as_of)
    rows = sum(len(sheet.progress_rows(result.tasks, u)) for u in chosen_units)
    click.echo(f"wrote {output}: {len(chosen_units)} units' fill-in sheets, {rows} rows", err=True)


@main.command("validate")
@sources_argument
@store_options
@click.option("--format", "fmt", type=click.Choice(["table", "json", "markdown"]), default="table", show_default=True)
@output_option
def validate_cmd(files, fmt, output, **opts):
    """图谱校验 — Check the graph against the SHACL shapes (ontology/shapes.ttl).

    Exit code 0 if the graph conforms, 1 if it does not, 2 on an error (no graph, bad
    input). Reads the store, or builds in memory from FILES if given.

    \b
    Example:
        kg validate
        kg validate --format markdown -o shacl-report.md
        kg validate my_table.txt
    """
    from kg.graph.validate import validate

    try:
        report = validate(_read_dataset(files, opts))
    except RespkgError as exc:
        click.echo(f"Error: {exc}", err=True)
        sys.exit(2)
    rows = [(v.severity, v.shape, v.focus, v.path, v.value, v.message) for v in report.violations]
    if rows or fmt != "table":
        text = tables.render(("severity", "shape", "focus", "path", "value", "message"), rows, fmt, width=_width(),
                             title=f"{len(rows)} SHACL violations")
        try:
            _emit(text, output)
        except RespkgError as exc:
            click.echo(f"Error: {exc}", err=True)
            sys.exit(2)
    click.echo("The graph conforms to the shapes." if report.conforms else
               f"The graph does not conform: {len(rows)} violations.", err=True)
    sys.exit(0 if report.conforms else 1)


def _query_text(sparql, query_file, name, params, list_queries, help_query):
    """What kg query should run: (text, named query or None); or None after printing --list / --help-query."""
    from kg.sparql import query as q

    if list_queries:
        rows = [(nq.name, nq.zh, nq.en, " ".join(f"{p.name}=<{p.kind}>" for p in nq.params))
                for nq in q.named_queries().values()]
        click.echo(tables.render(("name", "问题", "question", "parameters"), rows, "table", width=_width(),
                                 title=f"{len(rows)} named queries (ontology/queries/)"), nl=False)
        return None
    given = [x for x in (sparql, query_file, name) if x]
    if len(given) != 1:
        raise click.UsageError("give one query: SPARQL text, -f FILE or --name NAME (or --list)")
    if name:
        nq = q.find_named(name)
        if help_query:
            params = "\n".join(f"  {p.name} ({p.kind}): {p.help}" for p in nq.params) or "  none"
            click.echo(f"{nq.name}: {nq.zh}\n{nq.en}\n\nParameters:\n{params}\nReturns: {nq.returns}\n"
                       f"Example: {nq.example}\n\n{nq.text}")
            return None
        return nq.text, nq
    if help_query:
        raise click.UsageError("--help-query goes with --name NAME")
    if query_file:
        try:
            text = Path(query_file).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise click.ClickException(f"{query_file}: cannot read the query ({getattr(exc, 'strerror', exc)})")
        nq = q.parse_header(text, Path(query_file)) if re.search(r"^#\s*param:", text, re.M) else None
        return text, nq
    return sparql, None


def scope_options(fn):
    """--plan / --government: the plans a query reads, each from its own graph."""
    fn = click.option("--government", "governments", multiple=True, metavar="GOV",
                      help="Only the plans this government issued (dcterms:creator), e.g. 晋江市人民政府 "
                           "(repeatable; adds to --plan).")(fn)
    return click.option("--plan", "plans", multiple=True, metavar="PLAN",
                        help="Only this plan (document number 晋政文〔2021〕16号 or key 晋政文-2021-16), "
                             "read from its own graph and its progress reports': as fast in a store of a "
                             "thousand plans as of one (repeatable).")(fn)


@main.command()
@click.argument("sparql", required=False)
@click.option("-f", "--file", "query_file", metavar="FILE", help="Read the query from FILE (.rq).")
@click.option("--name", metavar="NAME", help="Run a named query (see --list).")
@click.option("--param", "params", multiple=True, metavar="KEY=VALUE",
              help="A parameter of the named query, e.g. unit=工信局 (repeatable).")
@click.option("--list", "list_queries", is_flag=True, help="List the named queries and exit.")
@click.option("--help-query", is_flag=True, help="With --name: show the query's text, parameters and an example.")
@click.option("--format", "fmt", type=click.Choice(tables.FORMATS), default="table", show_default=True)
@click.option("--raw", is_flag=True, help="Show IRIs whole instead of Chinese labels and prefixed names.")
@click.option("--allow-service", is_flag=True,
              help="Let SERVICE send (parts of) the query to the servers it names; refused without this.")
@scope_options
@output_option
@store_options
@_fail_cleanly
def query(sparql, query_file, name, params, list_queries, help_query, fmt, raw, allow_service, plans, governments,
          output, **opts):
    """SPARQL 查询 — Ask the graph a question in SPARQL: your own, or a named one with parameters.

    The prefixes rk:, org:, skos:, dcterms:, prov:, foaf:, rdfs:, rdf:, owl: and xsd: are
    declared for you. Parameters are bound as RDF terms, never pasted into the query; a
    name is looked up among the graph's Chinese labels. Updates are refused.

    --plan and --government (both repeatable, together the union of the plans they name) make
    the query read those plans' graphs and their progress reports' only, as default and named
    graphs (with the build's counts, the summary graph), and look names up there; reports and
    inferred links are left out. A query with its own FROM / FROM NAMED is refused with them.

    \b
    Example:
        kg query --list
        kg query --name tasks-led-by --param unit=工信局
        kg query --name tasks-per-chapter --plan 晋政文-2021-16
        kg query --name tasks-led-by --param unit=工信局 --government 晋江市人民政府
        kg query 'SELECT ?no ?text WHERE { ?t rk:number ?no ; rk:text ?text } LIMIT 5'
        kg query -f my.rq --format csv -o answer.csv
    """
    from kg.sparql import query as q

    picked = _query_text(sparql, query_file, name, params, list_queries, help_query)
    if picked is None:
        return
    text, nq = picked
    given = {}
    for p in params:
        key, sep, value = p.partition("=")
        if not sep or not key:
            raise click.UsageError(f"--param {p!r}: expected KEY=VALUE, e.g. unit=工信局")
        given[key.strip()] = value
    if given and nq is None:
        raise click.UsageError("--param goes with --name NAME or a -f FILE whose header declares its parameters")
    q.check_read_only(text)
    if not allow_service:
        q.check_no_service(text)
    scoped = plans or governments
    if scoped:
        from kg.store.results import names_dataset

        if names_dataset(text):
            raise click.UsageError("the query names its own graphs (FROM / FROM NAMED) and --plan / --government "
                                   "would replace them: drop the FROM clauses or the scope options")
    store = _read_store(opts)
    if nq is not None:
        q.check_summary(store, nq)
    dataset = None
    if scoped:
        from kg.analysis.plans import plan_scope

        dataset = plan_scope(store, plans, governments)
    bindings = q.resolve_params(store, nq, given, dataset) if nq is not None else {}
    from kg.graph.namespaces import DEFAULT_BASE

    # relative IRIs (<s>) resolve against the base of the data IRIs
    result = q.run(store, text, bindings, allow_service, dataset=dataset, base_iri=DEFAULT_BASE)
    columns, rows = q.display(store, result, raw)
    _emit(tables.render(columns, rows, fmt, width=_width(), title=f"{len(rows)} rows"), output)


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; the default lets only this machine connect.")
@click.option("--port", type=click.IntRange(0, 65535), default=7878, show_default=True)
@click.option("--timeout", type=click.FloatRange(min=0.1), default=10.0, show_default=True, metavar="SECONDS",
              help="Stop a query after this long (HTTP 503).")
@click.option("--max-rows", type=click.IntRange(min=1), default=10000, show_default=True, metavar="N",
              help="Send at most N rows; the answer says when it was cut.")
@click.option("--base-iri", metavar="IRI", default=None,
              help="Resolve relative IRIs in queries against IRI  [default: the endpoint's URL]")
@click.option("--cors", "cors", multiple=True, metavar="ORIGIN",
              help="Let pages of ORIGIN (e.g. http://localhost:8888) read the answers (repeatable; off by default).")
@store_options
@_fail_cleanly
def serve(host, port, timeout, max_rows, base_iri, cors, **opts):
    """本地查询服务 — A local SPARQL endpoint (/sparql) and query page (/) over the store, read-only.

    The page works offline: its editor (YASGUI) is vendored. Updates get HTTP 403. Each
    query is logged with its time.

    \b
    Example:
        kg serve                       # then open http://127.0.0.1:7878/
        kg serve --port 8080 --timeout 30
        curl 'http://127.0.0.1:7878/sparql' --data-urlencode 'query=SELECT * WHERE { ?s ?p ?o } LIMIT 3'
    """
    from kg.sparql.serve import exposure_warning, make_server
    from kg.sparql.serve import serve as serve_forever

    warning = exposure_warning(host)
    if warning:
        click.echo(warning, err=True)
    server = make_server(_read_store(opts), host, port, timeout, max_rows, log=lambda line: click.echo(line, err=True),
                         base_iri=base_iri, cors=cors)
    serve_forever(server)


@main.command()
@click.option("-o", "--output", metavar="PATH", default="respkg-explorer.html", show_default=True,
              help="The page to write (atomically).")
@click.option("--focus", metavar="NAME", help="Only the neighbourhood of one person or unit, e.g. 庄天怀 or 工信局.")
@click.option("--depth", type=click.IntRange(min=0), default=1, show_default=True, metavar="N",
              help="With --focus: how many links away from NAME.")
@click.option("--per-leader", metavar="DIR",
              help="Instead: one page per city leader (分管市领导) and an index.html with their loads, in DIR.")
@click.option("--per-plan", metavar="DIR",
              help="Instead: one page per plan, each from the plan's own graph, and an index.html of the "
                   "governments and their plans with their load figures, in DIR (a store of many plans).")
@click.option("--max-nodes", type=click.IntRange(min=1), metavar="N",
              help="Above N nodes, draw the aggregated view: sections, units and city leaders, tasks as "
                   "counts  [default: 15000]")
@as_of_option("Colour the tasks by their status at this date, where progress sources were built  "
                   "[default: the latest report's date]")
@store_options
@_fail_cleanly
def explore(output, focus, depth, per_leader, per_plan, max_nodes, as_of, **opts):
    """图谱浏览页 — Write the interactive explorer: one HTML page that opens offline by double-click.

    Search a leader, unit or task, click a node to see its tasks, units, heads and city
    leaders, follow the links; filter by node type, relation, chapter and city leader.
    Where progress sources were built with the plan, tasks are coloured by their status
    (legend, a status filter) and a task's panel shows its progress over the periods.
    Everything (vis-network included) is inside the file: it makes no network request.

    \b
    Example:
        kg explore                                  # respkg-explorer.html
        kg explore --focus 工信局 --depth 2 -o gongxin.html
        kg explore --per-leader leaders/            # leaders/index.html and one page per leader
        kg explore --per-plan plans/                # plans/index.html and one page per plan
    """
    from kg.views import explorer
    from kg.analysis.network import typed_graph

    if (per_leader or per_plan) and focus:
        raise click.UsageError("--per-leader and --per-plan write every page: leave out --focus")
    if per_leader and per_plan:
        raise click.UsageError("--per-leader or --per-plan: one of them")
    limit = max_nodes or explorer.MAX_NODES
    store = _read_store(opts)
    if per_plan:
        pages = explorer.write_per_plan(per_plan, store, max_nodes=limit, as_of=as_of)
        click.echo(f"wrote {len(pages) - 1} plan pages and {pages[-1].path}", err=True)
        return
    g = explorer.add_task_texts(typed_graph(store), store)  # full task texts for the side panel
    explorer.add_task_progress(g, store, as_of)
    if per_leader:
        pages = explorer.write_per_leader(per_leader, g, max_nodes=limit)
        click.echo(f"wrote {len(pages) - 1} city leaders' pages and {pages[-1].path}", err=True)
        return
    page = explorer.write_explorer(output, g, focus=focus, depth=depth, max_nodes=limit)
    what = "aggregated view" if page.aggregated else "graph"
    click.echo(f"wrote {page.path}: the {what} of {page.nodes} nodes and {page.edges} edges "
               f"({page.size / 1e6:.1f} MB)", err=True)


@main.group()
def report():
    """分析报告 — Reports on the graph: task loads, network centrality.

    \b
    Example:
        kg report load
        kg report load --by head --top 10
        kg report network --projection units
    """


def _typed_graph(opts, inferred: bool = False, plan: str | None = None):
    """The networkx view of the store's graph, or of one plan (named by document number or key)."""
    from kg.analysis.network import typed_graph
    from kg.analysis.plans import find_plan

    store = _read_store(opts)
    if plan and inferred:
        raise click.UsageError("--inferred reads the reports' planned tasks, which belong to no plan; drop --plan")
    return typed_graph(store, inferred, str(find_plan(store, plan)) if plan else None)


def plan_option(fn):
    return click.option("--plan", metavar="PLAN",
                        help="Only this plan (document number 晋政文〔2021〕16号 or key 晋政文-2021-16), "
                             "read from its own graph: as fast in a store of a thousand plans as of one.")(fn)


def _render_sections(sections, fmt: str) -> str:
    """Several titled tables as one text (JSON: an object of lists)."""
    if fmt == "json":
        import json

        return json.dumps({title: [dict(zip(cols, row)) for row in rows] for title, cols, rows in sections},
                          ensure_ascii=False, indent=2) + "\n"
    out = []
    for title, cols, rows in sections:
        if fmt == "markdown":
            out.append(f"### {title}\n\n" + tables.render(cols, rows, "markdown"))
        elif fmt == "csv":
            out.append(f"# {title}\n" + tables.render(cols, rows, "csv"))
        else:
            out.append(tables.render(cols, rows, "table", width=_width(), title=title))
    return "\n".join(out)


@report.command("load")
@click.option("--by", type=click.Choice(["supervisor", "head", "unit"]), default="supervisor", show_default=True,
              help="City leaders (分管市领导), unit heads (责任领导) or units.")
@click.option("--person", metavar="NAME", help="One person's page instead of the table, e.g. 庄天怀.")
@click.option("--unit", metavar="NAME", help="One unit's page instead of the table, e.g. 工信局.")
@click.option("--top", type=click.IntRange(min=1), metavar="N", help="Only the first N rows.")
@click.option("--sort", metavar="COLUMN", help="Rank by this column instead of the load.")
@click.option("--lead-weight", type=float, default=1.0, show_default=True, help="Weight of a led task.")
@click.option("--support-weight", type=float, default=0.5, show_default=True, help="Weight of a supported task.")
@click.option("--no-expand-groups", is_flag=True, help="Count a unit group as one unit instead of loading its members.")
@click.option("--inferred", is_flag=True,
              help="Also count the reports' planned tasks for their best suggested lead and supporting unit "
                   "(inferred, not assigned; left out by default).")
@plan_option
@click.option("--chart", metavar="FILE", help="Also write a bar chart and Lorenz curve (.svg or .png).")
@report_format_option
@output_option
@store_options
@_fail_cleanly
def report_load(by, person, unit, top, sort, lead_weight, support_weight, no_expand_groups, inferred, plan, chart,
                fmt, output, **opts):
    """任务负荷报告 — The task load of every city leader, unit head or unit, with rank, share and inequality.

    The load model is in docs/load-model.md: lead 1.0, support 0.5 by default; a task assigned to
    a unit group loads each of its members. --person / --unit give one page: counts,
    tasks by role and section, closest colleagues, comparison with the median.

    \b
    Example:
        kg report load
        kg report load --by head --top 10 --chart heads.svg
        kg report load --person 庄天怀
        kg report load --unit 工信局 --format markdown
        kg report load --by unit --inferred     # with the reports' planned tasks
        kg report load --plan 晋政文-2021-16     # one plan of a store holding many
    """
    from kg.views import report as r
    from kg.analysis.load import LoadParams

    params = LoadParams(lead_weight, support_weight, not no_expand_groups)
    if not (person or unit or inferred or plan):
        table = _summary_table(opts, by, params, sort)
        if table is not None:
            columns, all_rows, ineq, note = table
            return _emit_load(by, top, fmt, output, chart, columns, all_rows, ineq, note, lead_weight, support_weight)
    g = _typed_graph(opts, inferred, plan)
    if person or unit:
        page = r.person_page(g, person, params) if person else r.unit_page(g, unit, params)
        sections = [
            (page.title, ["figure", "value"], page.figures),
            ("tasks by role and section", ["role", "section", "no", "task"], page.tasks),
            ("works most with", ["name", "shared tasks"], page.partners),
            ("compared with the median", ["figure", "value", "median"], page.comparison),
        ]
        _emit(_render_sections(sections, fmt), output)
        return
    columns, all_rows, ineq = r.load_table(g, by, params, sort)
    note = r.group_note(r.graph_groups(g), params)
    planned = sum(1 for _, d in g.nodes(data=True) if d.get("inferred"))
    if inferred:
        note += (f" Includes {planned} planned tasks of the reports, each counted for its best suggested lead "
                 "and supporting unit (inferred, not assigned).")
    _emit_load(by, top, fmt, output, chart, columns, all_rows, ineq, note, lead_weight, support_weight)


def _summary_table(opts, by: str, params, sort: str | None):
    """(columns, rows, inequality, note) of the whole store's load table as the build counted
    it into the summary graph, or None where that graph holds no loads (an older build, said
    on stderr) or not with these options (--no-expand-groups): then it is counted from the graph."""
    from kg.analysis.load import summary_groups, summary_loads
    from kg.analysis.network import select_rows
    from kg.views import report as r

    store = _read_store(opts)
    rows = summary_loads(store, by, params)
    if rows is None:
        if params.expand_groups and select_rows(store, "SELECT ?t WHERE { ?t rk:lead ?u } LIMIT 1"):
            click.echo("note: this store's summary graph holds no load figures (built by an older respkg): "
                       "counting them from the whole graph, which takes longer; run kg build again", err=True)
        return None
    return (*r.ranked_table(rows, by, sort), r.group_note(summary_groups(store), params))


def _emit_load(by, top, fmt, output, chart, columns, all_rows, ineq, note, lead_weight, support_weight) -> None:
    """Print (or write) a load table with its inequality line, and the chart if asked for."""
    from kg.views import report as r

    rows = all_rows[:top] if top else all_rows
    titles = {"supervisor": "分管市领导 city leaders", "head": "责任领导 unit heads", "unit": "责任单位 units"}
    if fmt == "json":
        import json

        text = json.dumps({"by": by, "rows": [{c: row[c] for c in columns} for row in rows], "inequality": ineq,
                           "note": note, "weights": {"lead": lead_weight, "support": support_weight}},
                          ensure_ascii=False, indent=2) + "\n"
    else:
        summary = (f"Gini {ineq['gini']:.3f}; the top 10% ({max(1, -(-ineq['holders'] // 10))} of {ineq['holders']}) "
                   f"carry {ineq['top10_share']:.1%} of the {ineq['measure']} load. {note}")
        text = tables.render(columns, [[row[c] for c in columns] for row in rows], fmt, width=_width(),
                             title=f"Task load: {titles[by]}")
        text += ("" if fmt == "csv" else "\n" + summary + "\n")
    _emit(text, output)
    if chart:
        r.chart(all_rows, ineq["measure"], titles[by], chart)
        click.echo(f"wrote {chart}", err=True)


@report.command("network")
@click.option("--projection", type=click.Choice(["units", "supervisors", "people"]), default="units",
              show_default=True)
@click.option("--top", type=click.IntRange(min=1), default=10, show_default=True, metavar="N")
@plan_option
@report_format_option
@output_option
@store_options
@_fail_cleanly
def report_network(projection, top, plan, fmt, output, **opts):
    """协同网络分析 — Who holds the network together: central nodes, communities against portfolios, bridges.

    \b
    Example:
        kg report network
        kg report network --projection supervisors --top 5
        kg report network --plan 晋政文-2021-16
        kg report network --projection people --format markdown -o network.md
    """
    from rich.console import Console

    from kg.views import report as r
    from kg.analysis.metrics import METRICS
    from kg.analysis.network import label

    with Console(stderr=True).status(f"computing the {projection} network…"):
        g = _typed_graph(opts, plan=plan)
        description, p, a = r.network_report(g, projection)
    sections = [(f"{projection}: {description} — {p.number_of_nodes()} nodes, {p.number_of_edges()} edges",
                 ["metric", "rank", "name", "value"],
                 [(m, i, name, value) for m in METRICS for i, (name, value) in enumerate(a.top(m, top), 1)])]
    if a.crossing:
        sections.append((f"communities (Louvain): {len(a.communities)}; portfolio purity {a.crossing['purity']}, "
                         f"cross-portfolio weight share {a.crossing['cross_weight']}",
                         ["community", "size", "main city leader", "main share", "portfolios", "members"],
                         [(i, c["size"], label(g, c["main_portfolio"]) if c["main_portfolio"] else "", c["main_share"],
                           c["portfolios"], "、".join(sorted(label(p, n) for n in members))[:120])
                          for i, (c, members) in enumerate(zip(a.crossing["communities"], a.communities), 1)]))
    sections.append(("bridges and cut points (removing them disconnects the network)", ["kind", "nodes"],
                     [("bridge", f"{label(p, u)} — {label(p, v)}") for u, v in a.bridges]
                     + [("cut point", label(p, n)) for n in a.articulation]))
    if a.notes:
        sections.append(("notes", ["note"], [(n,) for n in a.notes]))
    _emit(_render_sections(sections, fmt), output)


@report.command("diff")
@click.argument("plan_a")
@click.argument("plan_b")
@click.option("--threshold", type=click.FloatRange(0, 1), default=0.6, show_default=True,
              help="Least text similarity for a task to count as carried over.")
@click.option("--top", type=click.IntRange(min=1), default=20, show_default=True, metavar="N",
              help="Show the N largest changes per table.")
@report_format_option
@output_option
@store_options
@_fail_cleanly
def report_diff(plan_a, plan_b, threshold, top, fmt, output, **opts):
    """两期方案对比 — Compare two plans of one government: load gained and lost, units new or gone, tasks carried over.

    PLAN_A and PLAN_B are plans in the store, named by document number (晋政文〔2021〕16号)
    or key (晋政文-2021-16). Tasks are matched by the similarity of their texts; each
    match shows its score.

    \b
    Example:
        kg build plan2021.txt plan2022.txt
        kg report diff 晋政文-2021-16 晋政文-2022-5
        kg report diff 晋政文-2021-16 晋政文-2022-5 --threshold 0.8 --format markdown
    """
    from kg.analysis.plans import diff_plans

    d = diff_plans(_read_store(opts), plan_a, plan_b, threshold)
    sections = [
        (f"units: {plan_a} → {plan_b} (weighted load change, lead 1.0, support 0.5)",
         ["unit", "led A", "led B", "supported A", "supported B", "change"], d.units[:top]),
        ("city leaders: tasks supervised", ["leader", "tasks A", "tasks B", "change"], d.leaders[:top]),
        ("units new or gone", ["unit", "status"], [(u, "new") for u in d.new_units] + [(u, "gone") for u in d.gone_units]),
        (f"tasks carried over ({len(d.carried)}; {len(d.only_a)} only in {plan_a}, {len(d.only_b)} only in {plan_b})",
         ["no A", "no B", "score", "text A", "text B"], [(i, j, s, ta[:40], tb[:40]) for i, j, s, ta, tb in d.carried]),
    ]
    _emit(_render_sections(sections, fmt), output)


def _named_table(store, name: str, params: dict[str, str]) -> tuple[str, list[str], list[tuple]]:
    """A named query's title, columns and display rows, its parameters bound from names."""
    from kg.sparql import query as q

    nq = q.find_named(name)
    columns, rows = q.display(store, q.run(store, nq.text, q.resolve_params(store, nq, params)))
    return nq.zh, columns, rows


TARGET_COLUMNS = {"no": "task", "role": "role", "capacity": "as", "measure": "measure", "value": "value",
                  "unitText": "unit", "unit": "unit", "comparator": "comparator", "kind": "kind", "text": "read from"}


@report.command("targets")
@click.option("--unit", metavar="NAME", help="Only the tasks this unit leads or supports, e.g. 科技局.")
@click.option("--person", metavar="NAME", help="Only the tasks this person heads a unit of or supervises, e.g. 庄天怀.")
@click.option("--measure", metavar="WORDS",
              help="With --year: this measure's targets in every government's work report of the year, "
                   "e.g. 地区生产总值 (its key: 全市地区生产总值 counts as 地区生产总值).")
@click.option("--year", type=int, metavar="YEAR", help="With --measure: the year planned, e.g. 2023.")
@click.option("--chart", metavar="FILE", help="With --measure: also write the distribution as a chart (.png or .svg).")
@report_format_option
@output_option
@store_options
@_fail_cleanly
def report_targets(unit, person, measure, year, chart, fmt, output, **opts):
    """量化指标清单 — The quantified targets: every one, those of one unit's or one person's tasks, or one measure's across governments.

    Targets are read from the task and statement texts (value, unit, comparator, and
    whether a level, a growth rate or a count); the numbers read as something else
    (years, ordinals, names) are not targets, and those no rule could place are in
    kg quality (number-unresolved). --measure with --year compares peers: the targets
    of that measure in the planned work of every government's work report for the year,
    by value, with the count, minimum, median and maximum (docs/work-reports.md).

    \b
    Example:
        kg report targets
        kg report targets --unit 科技局
        kg report targets --person 庄天怀 --format markdown
        kg report targets --measure 地区生产总值 --year 2023 --chart 地区生产总值.png
    """
    if sum(1 for x in (unit, person, measure) if x) > 1:
        raise click.UsageError("give one of --unit, --person and --measure")
    if (measure is None) != (year is None):
        raise click.UsageError("--measure and --year go together: the measure's targets for the year planned")
    if chart and not measure:
        raise click.UsageError("--chart draws one measure's targets across governments: give --measure and --year")
    store = _read_store(opts)
    if measure:
        _peer_targets(store, measure, year, chart, fmt, output)
        return
    if unit:
        title, columns, rows = _named_table(store, "targets-of-unit", {"unit": unit})
        title = f"{title}: {unit}"
    elif person:
        title, columns, rows = _named_table(store, "targets-of-person", {"person": person})
        title = f"{title}: {person}"
    else:
        title, columns, rows = _named_table(store, "targets", {})
    columns = [TARGET_COLUMNS.get(c, c) for c in columns]
    _emit(_render_sections([(f"{title} ({len(rows)})", columns, rows)], fmt), output)


def _peer_targets(store, measure: str, year: int, chart: str | None, fmt: str, output: str | None) -> None:
    """kg report targets --measure --year: the peers' table, then the spread of each kind and unit."""
    from kg.analysis.peers import peer_targets, spreads
    from kg.views.report import peer_chart

    rows = peer_targets(store, measure, year)
    groups = spreads(rows)
    columns = ["government", "value", "comparator", "unit", "kind", "sentence", "report"]
    table = [(r.government or "", r.value, r.comparator or "", r.unit or "", r.kind, r.sentence, r.report)
             for r in rows]
    lines = [f"{s.count} targets ({s.kind}, {s.unit or 'no unit'}): min {s.minimum:g} ({'、'.join(s.at_minimum)}), "
             f"median {s.median:g}, max {s.maximum:g} ({'、'.join(s.at_maximum)})" for s in groups]
    if not rows:
        lines = [f"no government's work report for {year} sets a target of {measure!r} in its planned work; the "
                 "measure is matched by its key, exactly (kg report timeline --measure WORDS finds measures "
                 "containing words)"]
    if fmt == "json":
        import json

        text = json.dumps({"measure": measure, "year": year, "rows": [dict(zip(columns, row)) for row in table],
                           "summary": [s.__dict__ for s in groups]}, ensure_ascii=False, indent=2) + "\n"
    else:
        text = _render_sections([(f"同一指标的各地目标: {measure}, {year} ({len(rows)})", columns, table)], fmt)
        text += "" if fmt == "csv" else "\n" + "\n".join(lines) + "\n"
    _emit(text, output)
    if not rows and (fmt == "csv" or output not in (None, "-")):
        click.echo(lines[0], err=True)
    if chart and rows:
        peer_chart(rows, measure, year, chart)
        click.echo(f"wrote {chart}", err=True)


@report.command("timeline")
@click.option("--measure", required=True, metavar="WORDS", help="Words of the measure, e.g. 高层次人才.")
@report_format_option
@output_option
@store_options
@_fail_cleanly
def report_timeline(measure, fmt, output, **opts):
    """指标跨年追踪 — One measure across the years: its targets in the plans and reports, and the links between them.

    Finds the targets whose measure (without qualifiers such as 新增 or 各类) contains
    the words, orders them by year, and shows for each the targets of other years the
    build linked to it, with their scores (inferred links; docs/suggestions.md gives the scoring).

    \b
    Example:
        kg report timeline --measure 高层次人才
        kg report timeline --measure 研发投入 --format markdown
    """
    title, columns, rows = _named_table(_read_store(opts), "target-timeline", {"measure": measure})
    if not rows:
        raise click.ClickException(f"no target's measure contains {measure!r}; kg report targets lists them all")
    _emit(_render_sections([(f"{title}: {measure} ({len(rows)} targets)", columns, rows)], fmt), output)


@report.command("progress")
@click.option("--by", type=click.Choice(["supervisor", "unit", "head"]), default="supervisor", show_default=True,
              help="City leaders (分管市领导), lead units (牵头单位) or unit heads (责任领导).")
@as_of_option("Judge the statuses at this date  [default: today]")
@click.option("--person", metavar="NAME", help="One person's page: their tasks by status, e.g. 庄天怀.")
@click.option("--unit", metavar="NAME", help="One unit's page: the tasks it leads and supports by status, e.g. 科技局.")
@click.option("--threshold", type=click.IntRange(0, 100), default=10, show_default=True, metavar="POINTS",
              help="A reported percentage this many points below the share of the task's time gone is behind.")
@plan_option
@click.option("--chart", metavar="FILE", help="Also write stacked bars per row, by status (.svg or .png).")
@click.option("--format", "fmt", type=click.Choice(["table", "markdown", "csv", "json", "docx"]), default="table",
              show_default=True, help="docx: the quarter's bulletin (通报) as a Word document, with -o FILE.docx.")
@output_option
@store_options
@_fail_cleanly
def report_progress(by, as_of, person, unit, threshold, plan, chart, fmt, output, **opts):
    """任务进度报告 — How the tasks are going: done, on track, behind, overdue, not reported.

    Each task falls in exactly one status at the date, the first that applies of done >
    overdue > behind > on_track > not_reported, from the progress sources built with its
    plan (kg build PLAN Q1.xlsx Q2.xlsx …; docs/progress.md says how each is judged). The
    table has a row per city leader, lead unit or unit head, those needing attention first;
    --person / --unit give the page of one: the tasks by status with their latest progress.

    \b
    Example:
        kg report progress --as-of 2021-09-30
        kg report progress --by unit --as-of 2021-09-30 --format markdown
        kg report progress --person 庄天怀 --as-of 2021-09-30
        kg report progress --as-of 2021-09-30 --chart progress.png
        kg report progress --as-of 2021-09-30 --format docx -o 通报.docx
    """
    import datetime as dt

    from kg.analysis.plans import find_plan
    from kg.analysis.progress import plan_name, progress_by, task_progress
    from kg.views import progress as v

    if person and unit:
        raise click.UsageError("give --person or --unit, not both")
    if fmt == "docx" and (not output or output == "-" or not output.lower().endswith(".docx")):
        raise click.UsageError("--format docx writes the bulletin: -o FILE.docx")
    store = _read_store(opts)
    when = as_of or dt.date.today().isoformat()
    plan_iri = find_plan(store, plan) if plan else None
    tasks = task_progress(store, when, plan_iri, threshold)
    if not any(t.latest for t in tasks):
        click.echo(f"Note: no progress entry up to {when} in the store: every task counts as not reported (or "
                   "overdue). Build the plan with its progress sources: kg build PLAN Q1.xlsx … (docs/progress.md).",
                   err=True)
    if fmt == "docx":
        from rdflib import URIRef

        from kg.views.bulletin import write_bulletin

        plans = sorted({t.plan for t in tasks})
        if len(plans) != 1:
            raise click.UsageError(f"the bulletin is of one plan; the store holds {len(plans)}: name one with --plan")
        write_bulletin(output, tasks, when, plan_name(store, plan_iri or URIRef(plans[0])))
        click.echo(f"wrote {output}: the bulletin of {len(tasks)} tasks as of {when}", err=True)
        return
    if person or unit:
        page = v.progress_page(tasks, person or unit, "person" if person else "unit")
        _emit(_render_sections([(f"{page.title} {v.STATUS_ZH[status]} {status} ({len(rows)})",
                                 list(v.ProgressPage.COLUMNS), rows) for status, rows in page.groups], fmt), output)
        return
    counts = progress_by(tasks, by)
    _emit(v.render_progress(counts, fmt, when, by, defaulted=as_of is None, width=_width()), output)
    if chart:
        v.chart(counts, chart, f"{v.BY_ZH[by]}任务进度（截至{when}）")
        click.echo(f"wrote {chart}", err=True)


@main.command()
@source_argument
@layout_option
@store_options
@_fail_cleanly
def run(file, layout, **opts):
    """一键运行 — The main job: parse, build the graph into the store, validate, explore, report.

    Prints the parse summary, the data-quality findings by kind, the build and the SHACL
    validation and a named query; writes the explorer (respkg-explorer.html in the current
    directory) and ends with the city leaders' task load. Without FILE it reads the
    bundled 2021 table and the four bundled reports (their statements, targets and
    officials join the graph); with FILE, that table alone.

    \b
    Example:
        kg run                     # the bundled Jinjiang documents into .respkg/store
        kg run my_table.txt --store memory
    """
    from kg.build import Documents, build_results, load_documents
    from kg.graph.validate import validate

    docs = load_documents(None) if file is None and layout is None else Documents([_parse(file, layout)], [])
    result = docs.plans[0]
    tasks = result.tasks
    unit_names = {u.name for t in tasks for u in t.units}
    heads = {h for t in tasks for u in t.units for h in u.heads} | {h for t in tasks for h in t.unassigned_heads}
    leaders = {s for t in tasks for s in t.supervisors}
    click.echo(f"Parsed {len(tasks)} tasks (numbers {tasks[0].no}–{tasks[-1].no}) from {result.file}: "
               f"{len(unit_names)} units, {len(heads)} heads, {len(leaders)} city leaders.")
    rows = [(kind, sev, n, quality.KINDS[kind]) for kind, sev, n in quality.summarise(plan_findings(result))]
    click.echo(tables.render(("kind", "severity", "count", "meaning"), rows, "table", width=_width(),
                             title="Data-quality findings (details: kg quality)"), nl=False)
    if docs.reports:
        click.echo(f"Read {len(docs.reports)} reports ({', '.join(r.file for r in docs.reports)}): "
                   f"{sum(len(r.statements) for r in docs.reports)} statements, "
                   f"{sum(len(r.officials) for r in docs.reports)} officials named with their posts.")
    store = _open_store(opts)
    summary = build_results(docs, store)
    click.echo(f"Built {summary.triples} triples in {summary.graphs} named graphs into the {summary.store} "
               f"in {summary.seconds:.2f} s.")
    report = validate(store.dataset())
    click.echo("SHACL: the graph conforms to ontology/shapes.ttl." if report.conforms else
               f"SHACL: {len(report.violations)} violations (details: kg validate).")
    from kg.sparql import query as q

    nq = q.find_named("tasks-per-chapter")
    columns, rows = q.display(store, q.run(store, nq.text))
    click.echo(tables.render(columns, rows, "table", width=_width(),
                             title=f"{nq.zh} — kg query --name {nq.name}"), nl=False)
    from kg.views import explorer
    from kg.views import report as r
    from kg.analysis.network import typed_graph

    g = explorer.add_task_texts(typed_graph(store), store)
    page = explorer.write_explorer("respkg-explorer.html", g)
    click.echo(f"Explorer: {Path(page.path).resolve()} ({page.nodes} nodes, {page.edges} edges; open it in a browser, "
               "no network needed).")
    columns, rows, ineq = r.load_table(g, "supervisor")
    click.echo(tables.render(columns, [[row[c] for c in columns] for row in rows], "table", width=_width(),
                             title="分管市领导任务负荷 city leaders' task load — kg report load"), nl=False)
    click.echo(f"Gini {ineq['gini']:.3f}; the top 10% carry {ineq['top10_share']:.1%} of the tasks. "
               f"Unit heads: kg report load --by head; units: --by unit; one leader: --person NAME.")



@main.command()
@click.option("--counties", type=click.IntRange(min=1), default=1, show_default=True, metavar="N",
              help="How many synthetic counties, each its own government with its own units and people.")
@click.option("--years", type=click.IntRange(min=1), default=1, show_default=True, metavar="Y",
              help="How many yearly plans per county (heads and leaders change a little each year).")
@click.option("--start-year", type=click.IntRange(min=1949, max=2999), default=2021, show_default=True)
@click.option("--seed", type=int, default=0, show_default=True, help="The same seed gives the same plans.")
@click.option("--format", "fmt", type=click.Choice(["text", "jsonl"]), default="text", show_default=True,
              help="Grid-table text (kg parse and kg build read it back to the same records, each county its "
                   "own government) or JSON Lines records (no document number or issuer).")
@click.option("-o", "--output", metavar="DIR_OR_FILE", required=True,
              help="A folder for one file per plan, or a .txt / .jsonl file when there is one plan.")
@_fail_cleanly
def synth(counties, years, start_year, seed, fmt, output):
    """合成测试数据 — Write synthetic decomposition tables with the seed table's profile, for scale tests.

    Each county has about 116 units, 98 unit heads and 18 leaders of its own; each plan
    about 173 tasks in 8 chapters, with the seed's units per task, supporting units, city
    leaders per task and text lengths. Names are made up; nothing is copied from a source.

    \b
    Example:
        kg synth --counties 10 --years 3 -o synth/       # 30 plans as grid text
        kg synth --seed 7 --format jsonl -o plan.jsonl
        kg build synth/*.txt --store-dir /tmp/big
    """
    from kg import synth as s

    paths = s.write_plans(s.synthesize(counties, years, seed, start_year), output, fmt)
    click.echo(f"wrote {len(paths)} plans ({counties} counties × {years} years) to {output}", err=True)
