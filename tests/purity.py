"""A static reading of what a core module imports and calls (DESIGN.md, layers).

An allow-list, not a block-list: a core module may import the standard-library modules and
third-party packages named here and the core packages of tradelane, nothing else. Imports are
resolved (relative, `from tradelane import store`, submodules), names are followed through
aliases (`import datetime as dt; dt.datetime.now()`), and a tradelane module outside the core is
reported with the first forbidden import it reaches. Each finding reads
`tradelane/path.py:LINE: what`.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

CORE = (
    "domain",
    "selection",
    "tracking",
    "monitoring",
    "switching",
    "optimization",
    "forecasting",
    "simulation",
)
ALLOWED_STDLIB = frozenset(
    [
        "__future__",
        "abc",
        "bisect",
        "calendar",
        "collections",
        "copy",
        "dataclasses",
        "datetime",
        "decimal",
        "enum",
        "fractions",
        "functools",
        "graphlib",
        "heapq",
        "html",
        "itertools",
        "json",
        "math",
        "numbers",
        "operator",
        "random",
        "re",
        "statistics",
        "string",
        "textwrap",
        "types",
        "typing",
        "unicodedata",
        "zlib",
    ]
)
ALLOWED_THIRD_PARTY = frozenset(
    [
        "pydantic",
        "pydantic_core",
        "annotated_types",
        "typing_extensions",
        "numpy",
        "scipy",
        "highspy",
        "sklearn",
        "statsforecast",
        "simpy",
        "pycountry",
        "holidays",
    ]
)
CLOCK_READS = frozenset(
    {
        "datetime.datetime.now",
        "datetime.datetime.utcnow",
        "datetime.datetime.today",
        "datetime.date.today",
        *(f"time.{name}" for name in ("time", "time_ns", "monotonic", "perf_counter", "ctime")),
        *(f"time.{name}" for name in ("localtime", "gmtime", "asctime", "strftime")),
    }
)
FORBIDDEN_NAMES = {
    "importlib.import_module": "imports dynamically",
    "builtins.__import__": "imports dynamically",
    "os.environ": "reads the environment",
    "os.getenv": "reads the environment",
}
FORBIDDEN_BUILTINS = frozenset({"open", "__import__", "input", "print", "exec", "eval"})
RANDOM_MODULES = ("random", "numpy.random")
SEEDABLE = frozenset(
    {"Random", "default_rng", "Generator", "SeedSequence", "PCG64", "PCG64DXSM", "Philox"}
    | {"SFC64", "MT19937", "BitGenerator"}
)


@dataclass
class Tree:
    """The package being checked: its folder, its import name and which subpackages are core."""

    root: Path
    name: str = "tradelane"
    core: tuple[str, ...] = CORE
    reached: dict[str, str | None] = field(default_factory=dict)  # memo of reaches()

    def file_of(self, module: str) -> Path | None:
        parts = module.split(".")[1:]
        base = self.root.joinpath(*parts)
        candidates = [base / "__init__.py", *([base.with_suffix(".py")] if parts else [])]
        return next((candidate for candidate in candidates if candidate.is_file()), None)

    def module_of(self, path: Path) -> str:
        parts = path.relative_to(self.root).with_suffix("").parts
        return ".".join((self.name, *(parts[:-1] if parts[-1] == "__init__" else parts)))

    def is_core(self, module: str) -> bool:
        parts = module.split(".")
        return module == self.name or (len(parts) > 1 and parts[1] in self.core)

    def core_files(self) -> list[Path]:
        found = [self.root / n for n in self.core if (self.root / n).is_dir()]
        return sorted(f for folder in found for f in folder.rglob("*.py"))

    def shown(self, path: Path) -> str:
        return str(Path(self.name) / path.relative_to(self.root))


def _external_ok(module: str) -> bool:
    top = module.split(".")[0]
    return top in ALLOWED_STDLIB or top in ALLOWED_THIRD_PARTY


def _resolve_from(node: ast.ImportFrom, module: str, is_package: bool) -> str:
    if not node.level:
        return node.module or ""
    parts = module.split(".") if is_package else module.split(".")[:-1]
    base = parts[: len(parts) - (node.level - 1)]
    return ".".join([*base, *([node.module] if node.module else [])])


def imports(tree: Tree, path: Path) -> Iterator[tuple[int, str, str]]:
    """(line, imported module, bound name's qualified name) for every import in `path`."""
    module, is_package = tree.module_of(path), path.name == "__init__.py"
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name, alias.name
        elif isinstance(node, ast.ImportFrom):
            base = _resolve_from(node, module, is_package)
            for alias in node.names:
                qualified = f"{base}.{alias.name}"
                inside = base.split(".")[0] == tree.name and tree.file_of(qualified)
                yield node.lineno, qualified if inside else base, qualified


def _import_problem(tree: Tree, imported: str) -> str | None:
    if imported.split(".")[0] != tree.name:
        return None if _external_ok(imported) else "not on the core allow-list"
    if tree.is_core(imported):
        return None
    reached = reaches(tree, imported)
    return "outside the core" + (f"; it imports {reached}" if reached else "")


def reaches(tree: Tree, module: str, seen: frozenset[str] = frozenset()) -> str | None:
    """The first import outside the allow-list that a non-core tradelane module leads to."""
    if module in tree.reached:
        return tree.reached[module]
    path, found = tree.file_of(module), None
    for _, imported, _ in imports(tree, path) if path else ():
        if imported.split(".")[0] != tree.name:
            found = None if _external_ok(imported) else imported
        elif imported not in seen | {module} and not tree.is_core(imported):
            deeper = reaches(tree, imported, seen | {module})
            found = f"{imported} -> {deeper}" if deeper else None
        if found:
            break
    tree.reached[module] = found
    return found


def scan(tree: Tree, path: Path) -> list[str]:
    """Every import and call in `path` a core module may not make, as `file:line: what`."""
    where = tree.shown(path)
    found = []
    for line, imported, qualified in imports(tree, path):
        problem = _import_problem(tree, imported) or None
        if problem:
            found.append(f"{where}:{line}: imports {imported} ({problem})")
        elif imported != qualified and (problem := _problem(qualified, None)):
            found.append(f"{where}:{line}: imports {qualified} ({problem})")
    syntax = ast.parse(path.read_text(encoding="utf-8"))
    found += [
        f"{where}:{line}: {what}" for line, what in _uses(syntax, _bindings(tree, path, syntax))
    ]
    return found


def _bindings(tree: Tree, path: Path, syntax: ast.Module) -> dict[str, str]:
    """Local name -> qualified name, for every name an import binds."""
    module, is_package = tree.module_of(path), path.name == "__init__.py"
    bound: dict[str, str] = {}
    for node in ast.walk(syntax):
        if isinstance(node, ast.Import):
            for alias in node.names:
                top = alias.name.split(".")[0]
                bound[alias.asname or top] = alias.name if alias.asname else top
        elif isinstance(node, ast.ImportFrom):
            base = _resolve_from(node, module, is_package)
            for alias in node.names:
                bound[alias.asname or alias.name] = f"{base}.{alias.name}"
    return bound


def _dotted(node: ast.expr, bindings: dict[str, str]) -> str | None:
    attrs: list[str] = []
    while isinstance(node, ast.Attribute):
        attrs.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name) or node.id not in bindings:
        return None
    return ".".join([bindings[node.id], *reversed(attrs)])


def _problem(name: str, call: ast.Call | None) -> str | None:
    if name in CLOCK_READS:
        return "reads the clock"
    if name in FORBIDDEN_NAMES:
        return FORBIDDEN_NAMES[name]
    owner, _, last = name.rpartition(".")
    if owner not in RANDOM_MODULES:
        return None
    if last not in SEEDABLE:
        return "draws from the unseeded module-level random generator"
    if call is not None and not call.args and not call.keywords:
        return "makes a random generator without a seed"
    return None


def _locally_bound(syntax: ast.Module) -> set[str]:
    names = {n.id for n in ast.walk(syntax) if isinstance(n, ast.Name) and not _loads(n)}
    names |= {a.arg for n in ast.walk(syntax) if isinstance(n, ast.arguments) for a in _args(n)}
    defs = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
    return names | {n.name for n in ast.walk(syntax) if isinstance(n, defs)}


def _loads(node: ast.Name) -> bool:
    return isinstance(node.ctx, ast.Load)


def _args(arguments: ast.arguments) -> list[ast.arg]:
    extra = [a for a in (arguments.vararg, arguments.kwarg) if a]
    return [*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs, *extra]


def _uses(syntax: ast.Module, bindings: dict[str, str]) -> Iterator[tuple[int, str]]:
    calls = {id(n.func): n for n in ast.walk(syntax) if isinstance(n, ast.Call)}
    local = _locally_bound(syntax) | set(bindings)
    for node in ast.walk(syntax):
        if isinstance(node, ast.Name) and _loads(node) and node.id in FORBIDDEN_BUILTINS - local:
            yield node.lineno, f"calls {node.id}() (I/O or dynamic code)"
            continue
        if not isinstance(node, ast.Attribute | ast.Name):
            continue
        name = _dotted(node, bindings)
        problem = name and _problem(name, calls.get(id(node)))
        if name and problem:
            yield node.lineno, f"uses {name} ({problem})"
