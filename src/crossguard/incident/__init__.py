"""Incident scoping: archive readers, exposure graph, reports, letters, Dask runner.

Kept empty on purpose: ``crossguard.config`` imports ``incident.settings``, and
importing this package must not pull in Dask. Use ``crossguard.incident.scoping``.
"""
