"""Country and language rules read from data files: dates, postcodes, street lines, ids, words.

The tables live in ``crossguard/data`` (``countries.toml``, ``national_ids.toml``,
``context/<language>.toml``, ``addresses.toml``, ``months.toml``); this package reads
them once and offers the small functions the index and the detectors share.
"""

from __future__ import annotations
