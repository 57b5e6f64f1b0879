"""The detector contract and the registry built-ins and plugins register through.

A detector is built once per front end by a factory taking the
:class:`~crossguard.detect.settings.DetectSettings`; it then scans many texts.
Third-party detectors are factories published in the entry-point group
``crossguard.detectors``; they load only when :func:`load_plugins` is called.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from importlib.metadata import entry_points
from typing import Protocol, runtime_checkable

from crossguard.core.finding import Finding
from crossguard.detect.normalize import NormalizedText
from crossguard.detect.settings import DetectSettings
from crossguard.errors import CrossguardError, DetectorError

ENTRY_POINT_GROUP = "crossguard.detectors"


@runtime_checkable
class Detector(Protocol):
    """Finds identifiers of one or more kinds in normalized text.

    ``find`` must not raise on any text, must never log a value or put one in an
    exception, and must report spans of ``text.original`` (use
    :func:`crossguard.detect.base.make_finding`). Values may be kept in memory
    only (the phone detector's bounded parse cache does).
    """

    name: str
    kinds: tuple[str, ...]

    def find(self, text: NormalizedText, part: str) -> Iterable[Finding]:
        """Yield every finding in ``text``."""
        ...


DetectorFactory = Callable[[DetectSettings], Detector]


class Registry:
    """Named detector factories; built-ins and plugins register the same way."""

    def __init__(self) -> None:
        self._factories: dict[str, DetectorFactory] = {}

    def register(self, name: str, factory: DetectorFactory) -> None:
        """Add ``factory`` under ``name``; a second registration of a name is an error."""
        if name in self._factories:
            raise DetectorError(f"detector {name!r} is already registered")
        self._factories[name] = factory

    @property
    def names(self) -> list[str]:
        return list(self._factories)

    def build(self, settings: DetectSettings) -> list[Detector]:
        """Instantiate every registered detector, checking each follows the contract."""
        detectors: list[Detector] = []
        for name, factory in self._factories.items():
            try:
                detector = factory(settings)
            except CrossguardError:
                raise
            except Exception as error:
                raise DetectorError(
                    f"detector {name!r} failed to start ({type(error).__name__})"
                ) from None
            if not isinstance(detector, Detector) or not _valid_kinds(detector.kinds):
                raise DetectorError(f"detector {name!r} does not follow the detector contract")
            detectors.append(detector)
        return detectors


def _valid_kinds(kinds: object) -> bool:
    return (
        isinstance(kinds, tuple)
        and bool(kinds)
        and all(isinstance(kind, str) and kind.isupper() for kind in kinds)
    )


def load_plugins(registry: Registry, group: str = ENTRY_POINT_GROUP) -> list[str]:
    """Register every detector factory published in the entry-point ``group``.

    Returns the names registered. A plugin that cannot be imported is a
    :class:`DetectorError` naming the entry point.
    """
    loaded: list[str] = []
    for entry in entry_points(group=group):
        try:
            factory = entry.load()
        except Exception as error:
            raise DetectorError(
                f"detector plugin {entry.name!r} cannot be loaded ({type(error).__name__})"
            ) from None
        if not callable(factory):
            raise DetectorError(f"detector plugin {entry.name!r} is not a factory")
        registry.register(entry.name, factory)
        loaded.append(entry.name)
    return loaded
