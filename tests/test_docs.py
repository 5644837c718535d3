"""The README against the code: quick start, commands, finding kinds, modules, CLI reference."""

from __future__ import annotations

import re
import sys
from pathlib import Path

from kg import quality
from kg.cli import main

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
sys.path.insert(0, str(ROOT / "scripts"))

import cli_reference  # noqa: E402


def _quick_start() -> list[str]:
    section = README.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```sh\n(.*?)\n```", section, re.S)


def test_readme_opens_with_the_two_quick_start_commands():
    assert README.index("## Quick start") < README.index("\n## ", README.index("## Quick start") + 1)
    install_and_run, install_and_test = _quick_start()
    assert "pip install" in install_and_run and install_and_run.endswith("kg run")
    script = (ROOT / install_and_test.split()[-1]).read_text(encoding="utf-8") if install_and_test.startswith("bash ") else install_and_test
    assert "pip install" in script and "pytest" in script


def test_ci_runs_the_readme_test_command():
    _, test_command = _quick_start()
    assert test_command in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_every_command_has_help_with_an_example_and_is_documented():
    for name, command in main.commands.items():
        assert command.help and "Example:" in command.help, name
        assert f"`kg {name}" in README, name


def test_cli_reference_is_generated_from_help():
    assert cli_reference.readme_section(README) == cli_reference.reference().strip("\n"), (
        "run: python scripts/cli_reference.py --write")


def test_every_finding_kind_is_documented():
    for kind, meaning in quality.KINDS.items():
        assert f"| `{kind}` | {meaning} |" in README, kind


def test_every_module_is_in_the_architecture_section():
    arch = README.split("## Architecture", 1)[1].split("\n## ", 1)[0]
    for path in sorted((ROOT / "kg").rglob("*.py")):
        rel = path.relative_to(ROOT).as_posix()
        if rel == "kg/__main__.py" or rel == "kg/__init__.py":
            continue
        assert f"`{rel}`" in arch, rel


def test_every_dependency_has_a_licence_line():
    setup = (ROOT / "setup.cfg").read_text(encoding="utf-8")
    deps = re.findall(r"^\s{4}([a-z][a-z0-9_-]+)[<>=]", setup, re.M)
    table = README.split("## Dependencies and licences", 1)[1]
    for dep in deps:
        assert re.search(rf"^\| {dep}\b", table, re.M) or f" {dep} " in table or f"{dep}," in table, dep
