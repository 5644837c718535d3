"""Print the CLI reference (every command's --help) as Markdown, for the README.

    python scripts/cli_reference.py            # print it
    python scripts/cli_reference.py --write    # replace the README section between the markers

tests/test_docs.py checks that the README holds exactly this text, so the reference
cannot drift from the code.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from kg.cli import main

BEGIN, END = "<!-- cli-reference:begin -->", "<!-- cli-reference:end -->"
README = Path(__file__).resolve().parent.parent / "README.md"


def _help(command: click.Command, name: str, parent: click.Context | None = None) -> str:
    ctx = click.Context(command, info_name=name, parent=parent, terminal_width=100, max_content_width=100,
                        help_option_names=["-h", "--help"])
    return command.get_help(ctx)


def reference() -> str:
    """The Markdown text of the reference."""
    root = click.Context(main, info_name="kg", terminal_width=100, max_content_width=100,
                         help_option_names=["-h", "--help"])
    parts = ["### kg\n\n```\n" + _help(main, "kg") + "\n```\n"]
    for name in sorted(main.commands):
        parts.append(f"### kg {name}\n\n```\n" + _help(main.commands[name], name, root) + "\n```\n")
    return "\n".join(parts)


def readme_section(text: str) -> str:
    """The part of the README between the markers."""
    return text.split(BEGIN, 1)[1].split(END, 1)[0].strip("\n")


if __name__ == "__main__":
    ref = reference()
    if sys.argv[1:] == ["--write"]:
        text = README.read_text(encoding="utf-8")
        head, rest = text.split(BEGIN, 1)
        README.write_text(head + BEGIN + "\n" + ref + "\n" + END + rest.split(END, 1)[1], encoding="utf-8")
    else:
        print(ref)
