"""The ``kg`` command: a thin layer over the library.

Each command parses its options, calls one library function and formats the result.
Errors of the library (:class:`kg.errors.RespkgError`) become one-line messages with
exit code 1; wrong invocations get click's usage errors (exit 2).
"""

from __future__ import annotations

import functools
import shutil
from pathlib import Path

import click

from kg import __version__, quality, records, resources, tables
from kg.errors import RespkgError
from kg.output import write_atomic
from kg.parse import ParseResult, parse_file

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


def _parse(file: Path | None) -> ParseResult:
    return parse_file(file if file is not None else resources.default_source())


@click.group(context_settings=CONTEXT)
@click.version_option(__version__, "-V", "--version", prog_name="kg")
def main():
    """respkg: a knowledge graph of government responsibilities (政府工作报告目标任务责任分解).

    \b
    Example:
        kg run            # the main job on the bundled 2021 Jinjiang table
        kg parse -o tasks.jsonl
        kg quality
    """


@main.command()
@source_argument
@click.option("--format", "fmt", type=click.Choice(["jsonl", "csv", "table"]), default="jsonl",
              show_default=True, help="Records as JSON Lines, CSV (one row per task) or a terminal table.")
@output_option
@_fail_cleanly
def parse(file, fmt, output):
    """Parse a responsibility table into task records.

    FILE is the text of a 目标任务责任分解表 (UTF-8 or GBK); by default the bundled
    2021 Jinjiang table. The records format is described in the README.

    \b
    Example:
        kg parse                              # JSON Lines to stdout
        kg parse data/raw/004_89d412a27e51e6a9.txt --format table
        kg parse my_table.txt --format csv -o tasks.csv
    """
    result = _parse(file)
    if fmt == "jsonl":
        text = records.dump_jsonl(result.tasks)
    else:
        rows = [records.flat_row(t) for t in result.tasks]
        text = tables.render(records.FLAT_COLUMNS, rows, fmt, width=_width(),
                             title=f"{len(rows)} tasks from {result.file}")
    _emit(text, output)


@main.command("quality")
@source_argument
@click.option("--format", "fmt", type=click.Choice(["table", "json", "markdown"]), default="table",
              show_default=True)
@click.option("--severity", type=click.Choice(quality.SEVERITIES), default="info", show_default=True,
              help="Show findings of this severity and worse.")
@click.option("--kind", "kinds", multiple=True, type=click.Choice(list(quality.KINDS)),
              help="Only findings of this kind (repeatable).")
@output_option
@_fail_cleanly
def quality_cmd(file, fmt, severity, kinds, output):
    """Report what the parser could not resolve with certainty.

    Lists head/unit alignments resolved from other rows or left open, heads that differ
    from a unit's usual head, names seen once close to a frequent one, numbering gaps or
    duplicates, tasks without a lead unit or a city leader — each with its task number,
    source lines and evidence. The records keep what the source says; this report says
    what looks wrong.

    \b
    Example:
        kg quality
        kg quality --severity warning --format markdown -o quality.md
        kg quality --kind head-differs --kind rare-spelling
    """
    result = _parse(file)
    limit = quality.SEVERITIES.index(severity)
    found = [f for f in quality.sort_findings(result.findings)
             if quality.SEVERITIES.index(f.severity) <= limit and (not kinds or f.kind in kinds)]
    rows = [quality.finding_row(f) for f in found]
    text = tables.render(quality.FINDING_COLUMNS, rows, fmt, width=_width(),
                         title=f"{len(found)} findings for {result.file} ({len(result.tasks)} tasks)",
                         json_rows=[quality.finding_to_json(f) for f in found])
    _emit(text, output)


@main.command()
@source_argument
@_fail_cleanly
def run(file):
    """The main job: parse the table and summarise its data quality.

    \b
    Example:
        kg run                     # the bundled 2021 Jinjiang table
        kg run my_table.txt
    """
    result = _parse(file)
    tasks = result.tasks
    unit_names = {u.name for t in tasks for u in t.units}
    heads = {h for t in tasks for u in t.units for h in u.heads} | {h for t in tasks for h in t.unassigned_heads}
    leaders = {s for t in tasks for s in t.supervisors}
    click.echo(f"Parsed {len(tasks)} tasks (numbers {tasks[0].no}–{tasks[-1].no}) from {result.file}: "
               f"{len(unit_names)} units, {len(heads)} heads, {len(leaders)} city leaders.")
    rows = [(kind, sev, n, quality.KINDS[kind]) for kind, sev, n in quality.summarise(result.findings)]
    click.echo(tables.render(("kind", "severity", "count", "meaning"), rows, "table", width=_width(),
                             title="Data-quality findings (details: kg quality)"), nl=False)

