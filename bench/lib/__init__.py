"""Generic helpers for the bench scripts: results, tables, measures, corpora, the docs page.

Not benchmarks (``run_all.py`` lists the scripts it runs). A script run as
``python bench/<name>.py`` has ``bench/`` first on ``sys.path``, so it imports
these as ``lib.<module>``; nothing puts the repo root on the path.
"""
