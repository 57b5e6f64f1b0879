"""Identifier formats python-stdnum lacks, with its compact/validate/is_valid/format contract."""
