"""Where the bundled data, ontology and queries live, in a checkout or an installed package.

setup.cfg maps the top-level folders ``data/`` and ``ontology/`` into the package as
``kg/_bundled/data`` and ``kg/_bundled/ontology`` when it is built; in a source checkout
they are found beside ``kg/``. Commands therefore work from any directory.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

__all__ = ["data_dir", "ontology_dir", "default_source", "default_reports", "placeholders_file", "ontology_file", "shapes_file",
           "DEFAULT_SOURCE_NAME"]

DEFAULT_SOURCE_NAME = "004_89d412a27e51e6a9.txt"


@lru_cache(maxsize=None)
def _bundled(folder: str) -> Path:
    here = Path(__file__).resolve().parent
    for candidate in (here / "_bundled" / folder, here.parent / folder):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"bundled folder {folder!r} not found beside {here}; reinstall respkg")


def data_dir() -> Path:
    """The bundled ``data/`` folder."""
    return _bundled("data")


def default_source() -> Path:
    """The 2021 Jinjiang responsibility table, the default input of every command."""
    return data_dir() / "raw" / DEFAULT_SOURCE_NAME


def default_reports() -> list[Path]:
    """The bundled narrative reports (data/raw/000–003: the 2024 work report, two newspaper digests,
    the towns' and bureaus' plans), in file order."""
    return sorted(p for p in (data_dir() / "raw").glob("*.txt") if p.name != DEFAULT_SOURCE_NAME)


def placeholders_file() -> Path:
    """The Jinjiang placeholder groups and towns (``data/jinjiang.toml``)."""
    return data_dir() / "jinjiang.toml"


def ontology_dir() -> Path:
    """The bundled ``ontology/`` folder: the ontology, the SHACL shapes and the named queries."""
    return _bundled("ontology")


def ontology_file() -> Path:
    """The respkg ontology in Turtle (``ontology/respkg.ttl``)."""
    return ontology_dir() / "respkg.ttl"


def shapes_file() -> Path:
    """The SHACL shapes in Turtle (``ontology/shapes.ttl``)."""
    return ontology_dir() / "shapes.ttl"
