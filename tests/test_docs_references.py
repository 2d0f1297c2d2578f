"""No document or comment names a file or a function that does not exist (issue 16).

Checked: README.md, CONTRIBUTING.md and docs/**/*.md (code spans, link targets and bare
paths), and the comments and docstrings of our Python code. A reference is:

- a path (``audit/chain.py``, ``tests/audit/``): it must exist, resolved from the repository
  root (a template such as ``errors/csrf_failure.html`` also under any ``templates/``
  folder, a static file such as ``cpims/app.css`` under any ``static/`` folder);
- a dotted name rooted in one of our packages (``audit.chain.chain_verify``,
  ``tenants.policy``): the module must exist and each further name be defined in it (found by
  reading the module, nothing is imported); an app label and model (``audit.DisposalRun``,
  with a field: ``tenants.Organisation.slug``), a Celery task's name (``audit.seal_chains``)
  and a logger's name (``cpims.audit``) count too;
- a call written as a name with empty parentheses in a code span: the name must be defined
  somewhere in our code (or be a Python builtin or one of the foreign names listed below).

Migrations are history and are not read; CHANGELOG.md is history too.
"""

from __future__ import annotations

import ast
import builtins
import io
import re
import tokenize
from functools import cache
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PACKAGES = {
    "cpims": REPO / "platform" / "cpims",
    "tenants": REPO / "tenants",
    "shared_registry": REPO / "shared_registry",
    "case_apps": REPO / "case_apps",
    "audit": REPO / "audit",
    "provisioning": REPO / "provisioning",
    "national_statistics": REPO / "national_statistics",
    "sharing": REPO / "sharing",
    "tests": REPO / "tests",
    "bench": REPO / "bench",
}
CODE_DIRS = [*PACKAGES.values(), REPO / "platform"]
# Paths made at run time (not in the repository), and why they may be named.
RUNTIME_PATHS = {
    ".local/": "the embedded mode's data folder, made on first start",
    ".local/secret_key": "the generated secret key (docs/security.md)",
    ".venv/": "the virtualenv platform/install.py makes",
    "staticfiles/": "collected static files, made by collectstatic",
}
# Dangling references in files other helpers are rewriting while this test was written (issue
# 16): each is fixed when those branches merge. Keyed "file: kind reference"; only shrinks.
KNOWN_DANGLING = {}
# Calls that documents name and that are not ours: PostgreSQL (and pg_trgm), Python, Django's
# transaction.atomic, and the browser's confirm.
FOREIGN_CALLS = {
    "now",
    "sha256",
    "to_jsonb",
    "hashtext",
    "set_config",
    "current_setting",
    "similarity",
    "isoformat",
    "atomic",
    "confirm",
    "inspect",  # Celery's app.control.inspect()
    "pg_last_xact_replay_timestamp",  # PostgreSQL's replay time on a standby
}
EXTENSIONS = "py|md|html|txt|toml|json|po|mo|css|js|cfg|ini|yml|yaml|sh|svg|csv|xlsx"
PATH = re.compile(
    rf"(?<![\w./<>{{$-])((?:\.?[A-Za-z_][\w.-]*/)+(?:[\w.-]+\.(?:{EXTENSIONS})\b)?)(?![\w/<{{])"
)
DOTTED = re.compile(r"(?<![\w./])([a-z_][a-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)+)(?:\(\))?")
CALL = re.compile(r"(?<![\w.])([A-Za-z_][A-Za-z0-9_]*)\(\)")
CODE_SPAN = re.compile(r"``?([^`\n]+?)``?")
LINK = re.compile(r"\]\(([^)\s#]+)")


def _python_files() -> list[Path]:
    files: set[Path] = set()
    for folder in CODE_DIRS:
        files |= {p for p in folder.rglob("*.py") if "migrations" not in p.parts}
    files.add(REPO / "manage.py")
    return sorted(files)


def _documents() -> list[Path]:
    found = [REPO / "README.md", REPO / "CONTRIBUTING.md", *sorted((REPO / "docs").rglob("*.md"))]
    return [path for path in found if path.exists()]


@cache
def _module_names(path: Path) -> frozenset[str]:
    """Names a module defines or imports at its top level, and those of its classes'
    bodies as ``Class.name``."""
    tree = ast.parse(path.read_text())
    names: set[str] = set()

    def targets(node) -> list[str]:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            return [node.name]
        if isinstance(node, ast.Assign):
            return [t.id for t in node.targets if isinstance(t, ast.Name)]
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            return [node.target.id]
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            return [(a.asname or a.name).split(".")[0] for a in node.names]
        return []

    def walk(body, prefix: str = "") -> None:
        for node in body:
            for name in targets(node):
                names.add(prefix + name)
            if isinstance(node, ast.ClassDef) and not prefix:
                walk(node.body, f"{node.name}.")
            elif isinstance(node, (ast.If, ast.Try, ast.With)):
                walk(node.body, prefix)
                for handler in getattr(node, "handlers", []):
                    walk(handler.body, prefix)
                walk(getattr(node, "orelse", []), prefix)

    walk(tree.body)
    return frozenset(names)


@cache
def _defined_anywhere() -> frozenset[str]:
    names: set[str] = set()
    for path in _python_files():
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                names.add(node.name)
    return frozenset(names)


@cache
def _model_fields() -> dict[str, frozenset[str]]:
    """Model label -> its field names."""
    from django.apps import apps

    return {
        model._meta.label: frozenset(f.name for f in model._meta.get_fields())
        for model in apps.get_models()
    }


@cache
def _declared_names() -> frozenset[str]:
    """Celery task names (``name="audit.seal_chains"``) and logger names
    (``getLogger("cpims.audit")``) declared in our code."""
    names: set[str] = set()
    for path in _python_files():
        for node in ast.walk(ast.parse(path.read_text())):
            if not isinstance(node, ast.Call):
                continue
            values = [k.value for k in node.keywords if k.arg == "name"]
            function = node.func.attr if isinstance(node.func, ast.Attribute) else None
            if function == "getLogger" or getattr(node.func, "id", None) == "getLogger":
                values += node.args[:1]
            names |= {
                v.value for v in values if isinstance(v, ast.Constant) and isinstance(v.value, str)
            }
    return frozenset(names)


def dotted_exists(reference: str) -> bool:
    """Whether a dotted name rooted in one of our packages leads to something defined."""
    parts = reference.split(".")
    label = ".".join(parts[:2])
    if label in _model_fields() and (len(parts) == 2 or parts[2] in _model_fields()[label]):
        return True
    if reference in _declared_names():
        return True
    where = PACKAGES[parts[0]]
    rest = parts[1:]
    while rest and ((where / rest[0]).is_dir() or (where / f"{rest[0]}.py").is_file()):
        where = where / rest[0] if (where / rest[0]).is_dir() else where / f"{rest[0]}.py"
        rest = rest[1:]
    if not rest:
        return True
    module = where / "__init__.py" if where.is_dir() else where
    if not module.is_file():
        return False
    names = _module_names(module)
    if rest[0] not in names:
        return False
    return len(rest) == 1 or f"{rest[0]}.{rest[1]}" in names or rest[0][0].isupper()


def path_exists(reference: str) -> bool:
    if reference in RUNTIME_PATHS or reference.startswith(tuple(RUNTIME_PATHS)):
        return True
    if (REPO / reference).exists():
        return True
    for suffixes, folder_name in (((".html", ".txt"), "templates"), ((".css", ".js"), "static")):
        if reference.endswith(suffixes):
            return any(
                (folder / reference).exists()
                for folder in REPO.glob(f"**/{folder_name}")
                if ".venv" not in folder.parts and ".local" not in folder.parts
            )
    return False


def _is_path(candidate: str) -> bool:
    """A path-like token: ends in a known extension or in a slash, with a folder part."""
    if candidate.startswith(("/", "http", "www.")) or "//" in candidate:
        return False
    first = candidate.split("/")[0]
    # a folder reference names a top folder of ours (``docs/``, ``tests/audit/``), so that
    # prose such as "and/or" or route fragments are not taken for paths
    top = {p.name for p in REPO.iterdir()} | set(RUNTIME_PATHS) | {".local", ".venv"}
    return bool(re.search(rf"\.(?:{EXTENSIONS})$", candidate)) or first in top


def references_in(text: str, *, code_only: bool) -> set[tuple[str, str]]:
    """(kind, reference) pairs found in ``text``; ``code_only``: dotted names and calls only
    inside code spans (documents), otherwise anywhere (comments and docstrings)."""
    found: set[tuple[str, str]] = set()
    spans = [m.group(1) for m in CODE_SPAN.finditer(text)] if code_only else [text]
    for match in PATH.finditer(text):
        candidate = match.group(1)
        if _is_path(candidate):
            found.add(("path", candidate))
    if code_only:
        for match in LINK.finditer(text):
            target = match.group(1)
            if "://" not in target and not target.startswith(("mailto:", "/")):
                found.add(("path", target))
    for span in spans:
        for match in DOTTED.finditer(span):
            reference = match.group(1)
            if reference.split(".")[0] in PACKAGES and not re.search(
                rf"\.(?:{EXTENSIONS})$", reference
            ):
                found.add(("dotted", reference))
        for match in CALL.finditer(span):
            found.add(("call", match.group(1)))
    return found


def _exists(kind: str, reference: str, base: Path) -> bool:
    if kind == "path":
        relative = (base / reference).resolve()
        return path_exists(reference.rstrip("/") + ("/" if reference.endswith("/") else "")) or (
            relative.is_relative_to(REPO) and relative.exists()
        )
    if kind == "dotted":
        return dotted_exists(reference)
    return (
        reference in _defined_anywhere()
        or hasattr(builtins, reference)
        or reference in FOREIGN_CALLS
    )


def _comments_and_docstrings(path: Path) -> list[tuple[int, str]]:
    source = path.read_text()
    texts = []
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type == tokenize.COMMENT:
            texts.append((token.start[0], token.string))
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and (
            docstring := ast.get_docstring(node, clean=False)
        ):
            texts.append((getattr(node, "lineno", 1), docstring))
    return texts


def _shown(path: Path) -> str:
    return path.relative_to(REPO).as_posix() if path.is_relative_to(REPO) else path.name


def dangling_references(documents: list[Path], python_files: list[Path]) -> list[str]:
    dangling = []
    for path in documents:
        text = path.read_text()
        for kind, reference in sorted(references_in(text, code_only=True)):
            if not _exists(kind, reference, path.parent):
                dangling.append(f"{_shown(path)}: {kind} {reference}")
    for path in python_files:
        for line, text in _comments_and_docstrings(path):
            for kind, reference in sorted(references_in(text, code_only=False)):
                if kind == "call" and "``" not in text and "`" not in text:
                    continue  # a bare "name()" in prose: only code spans name calls
                if not _exists(kind, reference, REPO):
                    dangling.append(f"{_shown(path)}:{line}: {kind} {reference}")
    return dangling


def _without_line(found: str) -> str:
    where, what = found.split(": ", 1)
    return f"{where.split(':')[0]}: {what}"


def test_documents_and_comments_name_only_what_exists():
    dangling = dangling_references(_documents(), _python_files())
    assert [d for d in dangling if _without_line(d) not in KNOWN_DANGLING] == []


def test_the_known_dangling_list_only_shrinks():
    dangling = {_without_line(d) for d in dangling_references(_documents(), _python_files())}
    assert sorted(set(KNOWN_DANGLING) - dangling) == []


def test_a_planted_bad_reference_is_found(tmp_path):
    document = tmp_path / "planted.md"
    document.write_text(
        "The chain lives in `audit/chain.py` and `audit/no_such_module.py`; see\n"
        "`audit.chain.chain_verify`, `audit.chain.no_such_function`, `tests/audit/`,\n"
        "`tests/no_such_folder/`, `chain_seal()` and `never_defined_anywhere()`.\n"
    )
    module = tmp_path / "planted.py"
    module.write_text(
        '"""Reads ``audit.sealer.chain_seal`` and ``audit.sealer.gone``."""\n'
        "# see docs/security.md and docs/no-such-page.md\n"
    )
    found = dangling_references([document], [module])
    found = [line.split(": ", 1)[1] for line in found]
    assert sorted(found) == [
        "call never_defined_anywhere",
        "dotted audit.chain.no_such_function",
        "dotted audit.sealer.gone",
        "path audit/no_such_module.py",
        "path docs/no-such-page.md",
        "path tests/no_such_folder/",
    ]
