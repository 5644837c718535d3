"""Analysis: the networkx view of the graph and what is computed on it.

Stage 6 of the flow: the typed graph and its projections (:mod:`~kg.analysis.network`),
the load model of heads, leaders and units (:mod:`~kg.analysis.load`), centrality and
communities (:mod:`~kg.analysis.metrics`), the comparison of several plans
(:mod:`~kg.analysis.plans`) and one measure's targets across the governments of a year
(:mod:`~kg.analysis.peers`). Imports every earlier stage, never a view.
"""
