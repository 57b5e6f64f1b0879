"""The import rules of docs/architecture.md, checked over every module in src/crossguard.

Each top-level package or module of crossguard is a unit on one floor. A unit
imports only units on lower floors (and its own modules); units on one floor
never import each other, with the exceptions listed in ``SIBLINGS``. Imports
inside functions and under ``TYPE_CHECKING`` count too.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src" / "crossguard"

#: Lowest first. The unit ``crossguard`` is the package's own __init__ (the public API).
FLOORS: tuple[tuple[str, frozenset[str]], ...] = (
    ("foundation", frozenset({"core", "errors", "settings_base"})),
    ("stages", frozenset({"message", "detect", "index", "routing", "store", "synth"})),
    ("policy", frozenset({"policy"})),
    ("settings", frozenset({"config"})),
    ("pipeline", frozenset({"scan", "config_doc"})),
    ("service", frozenset({"service", "verify"})),
    ("front ends", frozenset({"gateway", "api", "web", "incident"})),
    ("composition", frozenset({"app", "demo", "reload", "crossguard"})),
    ("command line", frozenset({"cli"})),
)
FLOOR = {unit: rank for rank, (_, units) in enumerate(FLOORS) for unit in units}
FLOOR_NAME = {unit: name for name, units in FLOORS for unit in units}

#: Same-floor imports that are allowed: (importer, imported).
SIBLINGS = frozenset({("index", "message")})  # attribution reads a Message's parts

#: The only units that may import crossguard.config; everything else takes its section.
CONFIG_IMPORTERS = frozenset({"scan", "config_doc", "service", "app", "demo", "reload",
                              "crossguard", "cli"})


def _module_name(path: Path) -> str:
    parts = ["crossguard", *path.relative_to(SRC).with_suffix("").parts]
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> list[tuple[int, str]]:
    """(line, absolute module name) of every crossguard import in ``path``."""
    module = _module_name(path)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                name = ".".join([*base, *([node.module] if node.module else [])])
            else:
                name = node.module or ""
            for alias in node.names:  # ``from crossguard.web import view`` imports web.view
                sub = SRC.parent.joinpath(*name.split("."), alias.name)
                is_module = sub.is_dir() or sub.with_suffix(".py").is_file()
                found.append((node.lineno, f"{name}.{alias.name}" if is_module else name))
    return [(line, name) for line, name in dict.fromkeys(found)
            if name == "crossguard" or name.startswith("crossguard.")]


def _unit(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "crossguard"


def _is_settings_leaf(module: str) -> bool:
    parts = module.split(".")
    return len(parts) == 3 and parts[2] == "settings"


def violations() -> list[str]:
    """Every import that breaks a rule, as ``file:line: importer -> imported (why)``."""
    found: list[str] = []
    for path in sorted(SRC.rglob("*.py")):
        importer = _module_name(path)
        source = _unit(importer)
        where = f"{path.relative_to(SRC.parent)}"
        for line, target in _imports(path):
            unit = _unit(target)
            why = _broken_rule(importer, source, target, unit)
            if why:
                found.append(f"{where}:{line}: {importer} -> {target} ({why})")
    return found


def _broken_rule(importer: str, source: str, target: str, unit: str) -> str | None:
    if unit == source:
        return None
    if source not in FLOOR or unit not in FLOOR:
        return f"{source if source not in FLOOR else unit} is on no floor: add it to FLOORS"
    if _is_settings_leaf(importer) and FLOOR[unit] > 0:
        return "a settings section imports only the foundation"
    if source == "config" and _is_settings_leaf(target):
        return None
    if unit == "config" and source not in CONFIG_IMPORTERS:
        return "only the composition imports crossguard.config; take your section instead"
    if FLOOR[unit] > FLOOR[source]:
        return f"{FLOOR_NAME[source]} may not import the higher floor {FLOOR_NAME[unit]}"
    if FLOOR[unit] == FLOOR[source] and (source, unit) not in SIBLINGS:
        return f"units on the {FLOOR_NAME[source]} floor never import each other"
    return None


def import_cycles() -> list[list[str]]:
    """Groups of modules that import each other, directly or round a circle (Tarjan)."""
    graph = {_module_name(path): {name for _, name in _imports(path)}
             for path in SRC.rglob("*.py")}
    graph = {module: {name for name in names if name in graph and name != module}
             for module, names in graph.items()}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    cycles: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        for name in sorted(graph[module]):
            if name not in index:
                visit(name)
                low[module] = min(low[module], low[name])
            elif name in stack:
                low[module] = min(low[module], index[name])
        if low[module] == index[module]:
            group = stack[stack.index(module):]
            del stack[stack.index(module):]
            if len(group) > 1:
                cycles.append(sorted(group))

    for module in sorted(graph):
        if module not in index:
            visit(module)
    return cycles


def test_no_module_imports_itself_round_a_circle() -> None:
    assert import_cycles() == []


def test_every_unit_is_on_a_floor() -> None:
    units = {_unit(_module_name(path)) for path in SRC.rglob("*.py")}
    assert units <= set(FLOOR), f"units on no floor: {sorted(units - set(FLOOR))}"


def test_imports_follow_the_floors() -> None:
    found = violations()
    assert not found, "import rules broken (docs/architecture.md):\n" + "\n".join(found)


@pytest.mark.parametrize(
    ("importer", "target", "rule"),
    [
        ("crossguard.message.model", "crossguard.detect.base", "never import each other"),
        ("crossguard.core.finding", "crossguard.detect", "higher floor"),
        ("crossguard.store.store", "crossguard.config", "only the composition"),
        ("crossguard.web.view", "crossguard.api.errors", "never import each other"),
        ("crossguard.detect.settings", "crossguard.message", "only the foundation"),
    ],
)
def test_the_checker_flags_what_the_rules_forbid(importer: str, target: str, rule: str) -> None:
    why = _broken_rule(importer, _unit(importer), target, _unit(target))
    assert why is not None and rule in why


def test_the_checker_allows_what_the_rules_allow() -> None:
    assert _broken_rule("crossguard.config", "config", "crossguard.api.settings", "api") is None
    assert _broken_rule("crossguard.index.attribute", "index", "crossguard.message.model",
                        "message") is None
    assert _broken_rule("crossguard.scan", "scan", "crossguard.policy.engine", "policy") is None
