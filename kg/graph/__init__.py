"""The RDF graph: records and readings → named graphs on the respkg ontology.

Stage 3 of the flow: the ``rk:`` namespace and prefixes (:mod:`~kg.graph.namespaces`),
one named graph per plan with its provenance (:mod:`~kg.graph.plan`), per report
(:mod:`~kg.graph.report`), the inferred graph of suggestions and target links
(:mod:`~kg.graph.inferred`) and SHACL validation (:mod:`~kg.graph.validate`). Imports the
foundations, :mod:`kg.parse` and :mod:`kg.read`; never a store, a query or a view.
"""
