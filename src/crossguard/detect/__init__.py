"""Text -> Finding[]: identifiers in text, one small module per kind.

Build one :class:`DetectorSet` per front end with
:meth:`DetectorSet.from_settings` and call :meth:`DetectorSet.scan` per text.
Third-party detectors join through :func:`load_plugins` on a :class:`Registry`.
"""

from __future__ import annotations

from crossguard.core.finding import Finding
from crossguard.detect.detector_set import PRIORITY, DetectorSet, resolve_overlaps
from crossguard.detect.kinds import builtin_registry
from crossguard.detect.normalize import NormalizedText, normalize
from crossguard.detect.registry import (
    ENTRY_POINT_GROUP,
    Detector,
    DetectorFactory,
    Registry,
    load_plugins,
)

__all__ = [
    "ENTRY_POINT_GROUP",
    "PRIORITY",
    "Detector",
    "DetectorFactory",
    "DetectorSet",
    "Finding",
    "NormalizedText",
    "Registry",
    "builtin_registry",
    "load_plugins",
    "normalize",
    "resolve_overlaps",
]
