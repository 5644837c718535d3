"""Readings of a text: what it says beyond its assignments.

Stage 2 of the flow (sources → records → **readings** → RDF graph → store → SPARQL |
networkx | HTML → CLI): quantified targets (:mod:`~kg.read.targets`), named projects and
towns (:mod:`~kg.read.mentions`), one text's reading with its findings
(:mod:`~kg.read.reading`), suggested units from a table's assignments
(:mod:`~kg.read.suggest`) and targets linked across years (:mod:`~kg.read.timeline`).
Imports only the foundations (records, names, quality, errors, resources, output) and
:mod:`kg.parse`.
"""
