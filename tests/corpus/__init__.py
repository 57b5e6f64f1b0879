"""Generators of test corpora (documents and messages) shared by tests and bench scripts."""
