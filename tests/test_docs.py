"""The READMEs and docs/ against the code: quick start, commands, CLI reference, finding kinds,
named queries, modules and packages, dependencies, links."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import click

from kg import quality
from kg.cli import main

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
README = (ROOT / "README.md").read_text(encoding="utf-8")
README_ZH = (ROOT / "README.zh-CN.md").read_text(encoding="utf-8")
STAGES = ["parse", "read", "graph", "store", "sparql", "analysis", "views"]
CJK = re.compile(r"[\u4e00-\u9fff]")
sys.path.insert(0, str(ROOT / "scripts"))

import cli_reference  # noqa: E402


def _doc(name: str) -> str:
    return (DOCS / name).read_text(encoding="utf-8")


def _section(text: str, heading: str) -> str:
    """The body of the ``## heading`` section, up to the next ``## ``."""
    return text.split(f"\n## {heading}\n", 1)[1].split("\n## ", 1)[0]


def _quick_start(text: str, heading: str = "Quick start") -> list[str]:
    return re.findall(r"```sh\n(.*?)\n```", _section(text, heading), re.S)


def _commands(group: click.Group = main, prefix: str = "kg") -> dict[str, click.Command]:
    """Every command by its full name (`kg report load`), groups included, the root too."""
    found = {prefix: group}
    for name, command in group.commands.items():
        if isinstance(command, click.Group):
            found.update(_commands(command, f"{prefix} {name}"))
        else:
            found[f"{prefix} {name}"] = command
    return found


def test_readme_opens_with_the_two_quick_start_commands():
    first = README.index("\n## ")
    assert README[first:].startswith("\n## Quick start\n")
    install_and_run, install_and_test = _quick_start(README)
    assert "pip install" in install_and_run and install_and_run.endswith("kg run")
    script = (ROOT / install_and_test.split()[-1]).read_text(encoding="utf-8") if install_and_test.startswith("bash ") else install_and_test
    assert "pip install" in script and "pytest" in script


def test_both_readmes_show_the_same_quick_start_commands():
    assert _quick_start(README_ZH, "快速开始") == _quick_start(README)


def test_the_readmes_link_each_other():
    assert "(README.zh-CN.md)" in README.split("\n## ", 1)[0]
    assert "(README.md)" in README_ZH.split("\n## ", 1)[0]


def test_ci_runs_the_readme_test_command():
    _, test_command = _quick_start(README)
    assert test_command in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_every_command_has_help_with_an_example_and_is_documented():
    shown = _section(README, "A tour") + _section(README, "Commands")
    cli_md = _doc("cli.md")
    for name, command in _commands().items():
        assert command.help and "Example:" in command.help, name
        assert f"`{name}" in shown or f"$ {name}" in shown, f"{name} is in neither the README's tour nor its command table"
        assert f"\n## {name}\n" in cli_md, f"{name} is not in docs/cli.md"


def test_every_command_short_help_carries_its_chinese_name():
    for name, command in _commands().items():
        # 45 characters is click's default limit, the narrowest a listing shows.
        assert CJK.search(command.get_short_help_str(limit=45)), name


def test_cli_reference_is_generated_from_help():
    assert _doc("cli.md") == cli_reference.reference(), "run: python scripts/cli_reference.py --write"


def test_every_finding_kind_is_documented():
    text = _doc("data-quality.md")
    for kind, meaning in quality.KINDS.items():
        assert f"| `{kind}` | {meaning} |" in text, kind
    for kind in re.findall(r"^\| `([a-z-]+)` \|", text, re.M):
        assert kind in quality.KINDS, f"docs/data-quality.md documents {kind}, which kg.quality no longer has"


def test_every_sparql_example_of_the_docs_answers_on_the_bundled_graph():
    """The ```sparql blocks of the docs run as written (with the prefixes `kg query` adds) and answer."""
    from kg.build import build
    from kg.sparql.query import run
    from kg.store.embedded import MemoryStore

    store = MemoryStore()
    build(None, store)
    blocks = [(p.name, b) for p in sorted(DOCS.glob("*.md"))
              for b in re.findall(r"```sparql\n(.*?)\n```", p.read_text(encoding="utf-8"), re.S)]
    assert len(blocks) >= 2
    for name, block in blocks:
        assert run(store, block).rows, f"{name}: no answer to\n{block}"


def test_every_named_query_is_in_docs_sparql():
    text = _doc("sparql.md")
    for path in sorted((ROOT / "ontology" / "queries").glob("*.rq")):
        assert f"`{path.stem}`" in text, f"the named query {path.stem} is not in docs/sparql.md"


def test_every_module_is_in_docs_modules():
    text = _doc("modules.md")
    for path in sorted((ROOT / "kg").rglob("*.py")):
        rel = path.relative_to(ROOT).as_posix()
        assert f"`{rel}`" in text, f"{rel} has no line in docs/modules.md"
    for rel in re.findall(r"`(kg/[\w/]+\.py)`", text):
        assert (ROOT / rel).is_file(), f"docs/modules.md names {rel}, which does not exist"


def test_every_package_is_in_the_readme_architecture():
    arch = _section(README, "Architecture")
    packages = {p.parent.name for p in (ROOT / "kg").glob("*/__init__.py")}
    assert set(STAGES) <= packages, set(STAGES) - packages
    for name in sorted(packages | set(STAGES)):
        assert (ROOT / "kg" / name).is_dir(), name
        assert f"`kg/{name}/`" in arch, f"kg/{name}/ has no line in the README's architecture"


def test_every_dependency_has_a_licence_line():
    setup = (ROOT / "setup.cfg").read_text(encoding="utf-8")
    deps = re.findall(r"^\s{4}([a-z][a-z0-9_-]+)[<>=]", setup, re.M)
    table = _section(README, "Dependencies and licences")
    for dep in deps:
        assert re.search(rf"^\| {dep}\b", table, re.M) or f" {dep} " in table or f"{dep}," in table, dep


def test_every_doc_is_linked_from_the_readme_and_exists():
    linked = set(re.findall(r"\]\(docs/([\w.-]+\.md)(?:#[\w-]*)?\)", README))
    for name in sorted(linked):
        assert (DOCS / name).is_file(), f"the README links docs/{name}, which does not exist"
    for path in sorted(DOCS.glob("*.md")):
        assert path.name in linked, f"docs/{path.name} is not linked from the README"


def test_relative_links_in_the_docs_point_at_files():
    pages = [ROOT / "README.md", ROOT / "README.zh-CN.md", *sorted(DOCS.glob("*.md"))]
    for page in pages:
        for target in re.findall(r"\]\(([^)#:\s]+)(?:#[^)]*)?\)", page.read_text(encoding="utf-8")):
            assert (page.parent / target).exists(), f"{page.relative_to(ROOT)} links {target}, which does not exist"
