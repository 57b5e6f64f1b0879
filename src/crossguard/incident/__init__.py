"""Incident scoping: archive readers, exposure graph, reports, letters, Dask runner.

The entry point is :func:`crossguard.incident.scoping.scope`.
"""
