"""The package's folders are the stages of the flow, and no import runs up the flow.

source → records (``kg.parse``) → readings (``kg.read``) → RDF graph (``kg.graph``) → store
(``kg.store``) → SPARQL (``kg.sparql``) → networkx (``kg.analysis``) → views (``kg.views``)
→ CLI. A module may import its own stage, any earlier one and the foundations; the
foundations import no stage; only the CLI imports click.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

KG = Path(__file__).resolve().parent.parent / "kg"
STAGES = ("parse", "read", "graph", "store", "sparql", "analysis", "views")
FOUNDATIONS = ("errors", "records", "names", "quality", "resources", "output")
TOP = ("build", "synth", "cli", "__main__", "__init__")


def _modules() -> list[Path]:
    return sorted(p for p in KG.rglob("*.py") if "_bundled" not in p.parts)


def _imports(path: Path) -> set[str]:
    """Every kg module a file imports, at the top or inside a function."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.split(".")[0] in ("kg", "click")}
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] in ("kg", "click"):
            found.add(node.module)
            if node.module == "kg":
                found |= {f"kg.{a.name}" for a in node.names}
    return found


def _stage(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in STAGES else None


def test_every_module_belongs_to_a_stage_or_the_foundations():
    for path in _modules():
        rel = path.relative_to(KG)
        if len(rel.parts) == 1:
            assert rel.stem in FOUNDATIONS + TOP, f"kg/{rel}: a top-level module outside the flow"
        else:
            assert rel.parts[0] in STAGES, f"kg/{rel}: a package that is no stage of the flow"


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(KG)))
def test_no_import_runs_up_the_flow(path):
    rel = path.relative_to(KG)
    own = rel.parts[0] if len(rel.parts) > 1 else None
    for module in _imports(path):
        if module == "click" or module.startswith("click."):
            assert rel.stem == "cli", f"kg/{rel} imports click: only kg/cli.py may"
            continue
        if module == "kg":
            continue
        target = _stage(module)
        top = module.split(".")[1]
        if own is None:
            if rel.stem in FOUNDATIONS:
                assert target is None and top not in TOP, f"kg/{rel} (a foundation) imports {module}"
            continue
        assert top not in TOP, f"kg/{rel} imports {module}, which sits above every stage"
        if target is not None:
            assert STAGES.index(target) <= STAGES.index(own), f"kg/{rel} (stage {own}) imports {module} (stage {target})"


def test_each_stage_says_what_it_holds():
    for stage in STAGES:
        doc = ast.get_docstring(ast.parse((KG / stage / "__init__.py").read_text(encoding="utf-8")))
        assert doc and len(doc) > 80, f"kg/{stage}/__init__.py needs a docstring saying what the stage holds"
