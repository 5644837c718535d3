"""Stores: where the graph is kept and queried.

Stage 4 of the flow: the embedded Oxigraph store and rdflib's memory store
(:mod:`~kg.store.embedded`), a remote SPARQL 1.1 server (:mod:`~kg.store.endpoint`) and the
result type every store answers with (:mod:`~kg.store.results`). Imports the foundations
and :mod:`kg.graph`; never the query layer above it.
"""
