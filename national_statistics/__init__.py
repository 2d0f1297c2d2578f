"""National statistics: the outbox drain, de-identified facts, dashboards and exports (OLAP).

Not named ``statistics``: that would shadow Python's standard module.
"""
