"""SPARQL for planners: named questions, bound parameters, the local endpoint.

Stage 5 of the flow: the library of named queries in ``ontology/queries/`` with their
parameters (:mod:`~kg.sparql.query`) and ``kg serve``'s read-only endpoint and query page
(:mod:`~kg.sparql.serve`). Imports the foundations, :mod:`kg.graph` and :mod:`kg.store`.
"""
