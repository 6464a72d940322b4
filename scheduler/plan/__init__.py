"""Capacity planning: scenario sweeps (tables, meeting length, buffer, spare
tables) solved by the same engine, one Dask task per scenario.

scenarios.py makes the variants of an Event, sweep.py runs them on Dask,
report.py writes plan.xlsx and plan.html, write.py puts a plan on disk.
"""
