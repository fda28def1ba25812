"""Import each named module in a fresh process and list the I/O libraries it loads.

Run as `python purity_probe.py MODULE...`; prints one JSON object {module: [loaded...]}. The
parent loads only this script's needs and the allowed third-party packages of PRELOADED, with a
witness that records which file first imports each watched module; it stops if PRELOADED loads
anything forbidden. A forked child then imports the modules one after another from that clean
state: while nothing forbidden is loaded, a module that adds nothing forbidden would add nothing
in a fresh interpreter either. If any module loads something (or a child dies), every module is
imported again in a child of its own, so each culprit is named with the file that imported it.

One chain of the standard library is not I/O and is let through by name: `importlib.metadata`
(read by many packages for their own version) imports `email`, whose `email.utils` imports
`socket` for message ids. `socket` is reported whenever anything else imports it, or when
`email` itself was imported by anything but `importlib.metadata`.
"""

from __future__ import annotations

import builtins
import importlib
import importlib.abc
import json
import os
import sys
from collections.abc import Callable
from typing import Any

FORBIDDEN_MODULES = (
    "sqlalchemy",
    "fastapi",
    "httpx",
    "typer",
    "psycopg",
    "celery",
    "requests",
    "urllib.request",
    "http.client",
    "socket",
    "smtplib",
)
WATCHED = (*FORBIDDEN_MODULES, "email")
PRELOADED = ("pydantic", "numpy")  # they load nothing watched, so nothing is hidden


class _Witness(importlib.abc.MetaPathFinder):
    """Records which file first imports each watched module; finds nothing itself."""

    def __init__(self) -> None:
        self.importer: dict[str, str] = {}
        self.socket_statements: set[str] = set()  # files whose import statements name socket

    def watch_statements(self) -> None:
        """`socket` is loaded early by the excused chain; later `import socket` statements are
        seen here, since an import statement calls __import__ even for a loaded module."""
        original = builtins.__import__

        def hooked(name: str, globals: Any = None, *args: Any, **kwargs: Any) -> Any:
            if name == "socket" and globals:
                self.socket_statements.add(str(globals.get("__file__", "?")))
            return original(name, globals, *args, **kwargs)

        builtins.__import__ = hooked

    def find_spec(self, name: str, path: object, target: object = None) -> None:
        if name in WATCHED and name not in self.importer:
            self.importer[name] = _importing_file()


def _importing_file() -> str:
    frame = sys._getframe(2)
    while frame.f_back and _inside_import_machinery(frame.f_code.co_filename):
        frame = frame.f_back
    return frame.f_code.co_filename.replace(os.sep, "/")


def _inside_import_machinery(filename: str) -> bool:
    return (
        filename.startswith("<frozen")
        or filename.endswith("importlib/__init__.py")
        or filename == __file__  # the statement watcher's own frame
    )


def _metadata_chain(importer: dict[str, str]) -> bool:
    """`socket` came from `email.utils`, and `email` from `importlib.metadata`."""
    return importer.get("socket", "").endswith("email/utils.py") and (
        "importlib/metadata/" in importer.get("email", "")
    )


def _socket_excused(witness: _Witness) -> bool:
    others = {f for f in witness.socket_statements if not f.endswith("email/utils.py")}
    return _metadata_chain(witness.importer) and not others


def _importers(witness: _Witness, name: str) -> str:
    found = {witness.importer.get(name, "?")}
    if name == "socket":
        found |= witness.socket_statements - {witness.importer.get(name, "")}
    return ", ".join(sorted(found))


def _forbidden(witness: _Witness) -> list[str]:
    return [
        f"{name} (imported by {_importers(witness, name)})"
        for name in FORBIDDEN_MODULES
        if name in sys.modules and not (name == "socket" and _socket_excused(witness))
    ]


def _in_child(module: str, witness: _Witness) -> list[str]:
    try:
        importlib.import_module(module)
    except Exception as exc:  # a module that cannot be imported is reported, not hidden
        return [f"import failed: {type(exc).__name__}: {exc}"]
    return _forbidden(witness)


def _in_fork(work: Callable[[], object]) -> object:
    """Run `work` in a forked child, from this process's module table; return its JSON answer."""
    read_end, write_end = os.pipe()
    child = os.fork()
    if child == 0:
        os.close(read_end)
        os.write(write_end, json.dumps(work()).encode())
        os._exit(0)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as pipe:
        answer = pipe.read()
    os.waitpid(child, 0)
    return json.loads(answer or b'"the child process died"')


def _one_after_another(modules: list[str], witness: _Witness) -> dict[str, list[str]]:
    """Each module imported in turn in one child; stops at the first that loads anything."""
    report: dict[str, list[str]] = {}
    for module in modules:
        report[module] = _in_child(module, witness)
        if report[module]:
            break
    return report


def main(modules: list[str]) -> None:
    witness = _Witness()
    sys.meta_path.insert(0, witness)
    witness.watch_statements()
    for name in PRELOADED:
        importlib.import_module(name)
    if preloaded := _forbidden(witness):
        raise SystemExit(f"{', '.join(PRELOADED)} load {', '.join(preloaded)}")
    report = _in_fork(lambda: _one_after_another(modules, witness))
    if not isinstance(report, dict) or len(report) < len(modules) or any(report.values()):
        report = {m: _in_fork(lambda m=m: _in_child(m, witness)) for m in modules}  # type: ignore[misc]
    print(json.dumps(report))


if __name__ == "__main__":
    main(sys.argv[1:])
