"""Test-only material: named sample messages and the outside test data in ../shared/data."""
