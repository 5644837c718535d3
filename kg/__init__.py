"""respkg: a knowledge graph of government responsibilities.

Source text → records (:mod:`kg.parse`, :mod:`kg.records`) → data-quality findings
(:mod:`kg.quality`); the ``kg`` command (:mod:`kg.cli`) is a thin layer over them.
"""

__version__ = "0.1.0"
