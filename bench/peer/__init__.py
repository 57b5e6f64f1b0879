"""Helpers shared by the comparison benchmarks: the peer's virtualenv, workers, corpus, scoring."""
