"""The package's public API: ``crossguard.__all__`` is exactly what ``crossguard`` exports.

Modelled on httpx's ``test_exported_members``: every public name bound in the package is
listed, every listed name is bound, and ``from crossguard import *`` gives exactly the list.
Submodules (``crossguard.config``, ...) are attributes once imported, not exports.
"""

from __future__ import annotations

import types

import crossguard

#: The front end the README and the library docstring promise; removing a name breaks users.
PROMISED = {
    "Attribution", "ConfigError", "CrossguardError", "Evaluation", "Finding", "Guard",
    "IndexFormatError", "IndexKeyError", "MessageParseError", "RuleResult", "Settings",
    "StoreError", "Verdict", "load_settings",
}


def _exported() -> list[str]:
    """Public names bound in the package, without submodules and ``__future__`` features."""
    return sorted(
        name for name, value in vars(crossguard).items()
        if not name.startswith("_")
        and not isinstance(value, types.ModuleType)
        and type(value).__module__ != "__future__"
    )


def test_all_lists_every_exported_member_in_order() -> None:
    assert crossguard.__all__ == _exported()


def test_star_import_gives_exactly_all() -> None:
    namespace: dict[str, object] = {}
    exec("from crossguard import *", namespace)
    del namespace["__builtins__"]
    assert sorted(namespace) == crossguard.__all__


def test_every_export_is_crossguard_own_and_documented() -> None:
    for name in crossguard.__all__:
        value = getattr(crossguard, name)
        assert value.__module__.startswith("crossguard."), name
        assert (value.__doc__ or "").strip(), f"{name} has no docstring"


def test_the_promised_front_end_is_exported() -> None:
    assert set(crossguard.__all__) == PROMISED
