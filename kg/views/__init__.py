"""Views: what people read — terminal tables, reports, charts, spreadsheets, the explorer.

Stage 7 of the flow: rows as terminal tables, CSV or JSON (:mod:`~kg.views.tables`), load
and network reports with charts (:mod:`~kg.views.report`), records and findings as
spreadsheets (:mod:`~kg.views.sheet`) and the offline HTML explorer
(:mod:`~kg.views.explorer`, its node positions in :mod:`~kg.views.layout`, its page in
``kg/static/explorer/``). Imports any earlier stage; only :mod:`kg.cli` imports it.
"""
