"""Layers: which package may import which, read from the source with ``ast``.

- The runtime (``bot/``, ``storage/``, ``domain/``, ``content/``) never imports the stand-in
  (``standin/``: the fake Telegram of the tests, the sandbox and the benchmarks).
- ``storage/``, ``domain/`` and ``content/`` never import ``bot/``.
- ``bot/services/`` never imports ``telegram`` (plain functions, tested without Telegram).
- The stand-in's modules import one another without a cycle, so importing any of them never
  depends on a partially initialised module.

Every import statement counts: at the top, inside functions, under ``TYPE_CHECKING``, and
``importlib.import_module("...")`` / ``__import__("...")`` with a literal name.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
RUNTIME = ("bot", "storage", "domain", "content")


def module_name(path: Path, root: Path = ROOT) -> str:
    """``bot/services/quiz.py`` -> ``bot.services.quiz``; a package's ``__init__`` -> its name."""
    parts = path.relative_to(root).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules(package: str, root: Path = ROOT) -> list[Path]:
    """Every module of a package, sub-packages included."""
    found = sorted((root / package).rglob("*.py"))
    assert found, f"no modules under {root / package}"
    return found


def imports(path: Path, root: Path = ROOT) -> set[str]:
    """Absolute names of what ``path`` imports (relative imports resolved). For ``from m
    import x`` both ``m`` and ``m.x`` are given: ``x`` may be a module."""
    name = module_name(path, root)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                parts = package.split(".")
                base = ".".join(parts[: len(parts) - node.level + 1])
                module = f"{base}.{node.module}" if node.module else base
            else:
                module = node.module or ""
            found.add(module)
            found.update(f"{module}.{alias.name}" for alias in node.names)
        elif (
            isinstance(node, ast.Call)
            and getattr(node.func, "attr", getattr(node.func, "id", None))
            in ("import_module", "__import__")
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            found.add(node.args[0].value)
    return found


def offenders(packages: tuple[str, ...], forbidden: str, root: Path = ROOT) -> list[str]:
    """``module -> import`` for every import of ``forbidden`` (or below it) in ``packages``."""
    found = []
    for package in packages:
        for path in modules(package, root):
            hits = {
                target
                for target in imports(path, root)
                if target == forbidden or target.startswith(forbidden + ".")
            }
            # ``from m import x`` is reported once, as ``m``
            found += [
                f"{module_name(path, root)} -> {hit}"
                for hit in hits
                if not any(hit.startswith(other + ".") for other in hits)
            ]
    return sorted(found)


def import_graph(package: str, root: Path = ROOT) -> dict[str, set[str]]:
    """Module -> the modules of the same package it imports."""
    paths = {module_name(path, root): path for path in modules(package, root)}
    graph: dict[str, set[str]] = {}
    for name, path in paths.items():
        targets = set()
        for target in imports(path, root):
            # ``from .models import X`` names standin.models and standin.models.X: take the
            # longest name that is one of the package's modules
            while target and target not in paths:
                target = target.rpartition(".")[0]
            if target and target != name:
                targets.add(target)
        graph[name] = targets
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """A cycle of the graph as a path (first node repeated at the end), or None."""
    done: set[str] = set()
    path: list[str] = []
    on_path: set[str] = set()

    def visit(node: str) -> list[str] | None:
        path.append(node)
        on_path.add(node)
        for nxt in sorted(graph.get(node, ())):
            if nxt in on_path:
                return [*path[path.index(nxt) :], nxt]
            if nxt not in done:
                cycle = visit(nxt)
                if cycle:
                    return cycle
        path.pop()
        on_path.discard(node)
        done.add(node)
        return None

    for start in sorted(graph):
        if start not in done:
            cycle = visit(start)
            if cycle:
                return cycle
    return None


def test_the_runtime_never_imports_the_stand_in():
    assert offenders(RUNTIME, "standin") == []


def test_storage_domain_and_content_never_import_the_bot():
    assert offenders(("storage", "domain", "content"), "bot") == []


def test_services_never_import_telegram():
    assert offenders(("bot/services",), "telegram") == []


def test_the_stand_in_imports_without_a_cycle():
    graph = import_graph("standin")
    assert "standin.users" in graph["standin.server"]  # the graph is really read
    assert find_cycle(graph) is None, " -> ".join(find_cycle(graph) or [])


def test_the_checks_see_hidden_imports_and_cycles(tmp_path):
    """The checker itself: an import inside a function or under TYPE_CHECKING counts, and a
    cycle through such an import is found."""
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "__init__.py").write_text("from .a import A\n")
    (package / "a.py").write_text("from .b import B\nclass A: ...\n")
    (package / "b.py").write_text(
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    from .a import A\n"
        "def f():\n    from standin.server import BotAPIStandIn\n"
        "class B: ...\n"
    )
    assert offenders(("pkg",), "standin", tmp_path) == ["pkg.b -> standin.server"]
    assert offenders(("pkg",), "stand", tmp_path) == []  # a prefix of a name is not the name
    assert find_cycle(import_graph("pkg", tmp_path)) == ["pkg.a", "pkg.b", "pkg.a"]
    (package / "b.py").write_text("import importlib\nimportlib.import_module('standin')\n")
    assert offenders(("pkg",), "standin", tmp_path) == ["pkg.b -> standin"]
    assert find_cycle(import_graph("pkg", tmp_path)) is None
