"""Plain helpers for the integration tests (``tests/integration/conftest.py`` holds the fixtures).

Imported as ``tests.integration.support.<module>``: pytest puts the repo root on the path
(``pythonpath`` in pyproject.toml), so no test changes ``sys.path``.
"""
