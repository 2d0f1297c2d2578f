"""The house rules as tests: model placement, import boundaries, schema switching, layout."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from django.db import models

from cpims.placement import placement_violations

REPO = Path(__file__).resolve().parent.parent
APP_DIRS = [
    "platform",
    "tenants",
    "shared_registry",
    "case_apps",
    "audit",
    "provisioning",
    "national_statistics",
    "sharing",
]

# Modules allowed to switch the database schema, and why.
SCHEMA_SWITCHERS = {
    "tenants/schema.py": "the switching primitives used by routing and operator tools",
    "national_statistics/drain.py": "the outbox drain, reading each organisation's outbox",
    "platform/cpims/demo.py": "the demo data loader (an operator tool of the embedded mode)",
    "provisioning/blueprint.py": "replays a new workspace's build script (transaction-local)",
    "sharing/gateway.py": "the sharing gateway, reading a provider's schema under an agreement",
}
SWITCHING = re.compile(
    r"\b(schema_context|tenant_context|set_tenant|set_schema|set_schema_to_public|"
    r"workspace_context|activate_workspace)\b"
)
# Who may call the primitives in tenants/schema.py.
PRIMITIVE_CALLERS = {"tenants/middleware.py"}


def test_every_model_is_placed_and_keeps_to_its_schema():
    assert placement_violations() == []


def test_the_placement_check_catches_violations():
    """Prove the check fails on each kind of violation (so a green run means something)."""
    from django.apps import apps

    class Unplaced(models.Model):
        class Meta:
            app_label = "tests_unplaced"

    class CascadingIntoPublic(models.Model):
        user = models.ForeignKey("tenants.User", on_delete=models.CASCADE)

        class Meta:
            app_label = "outbox"

    class PointsAtOrganisations(models.Model):
        organisation = models.ForeignKey(
            "tenants.Organisation", on_delete=models.DO_NOTHING, db_constraint=False
        )

        class Meta:
            app_label = "outbox"

    class PublicPointsIntoTenant(models.Model):
        event = models.ForeignKey("outbox.OutboxEvent", on_delete=models.CASCADE)

        class Meta:
            app_label = "tenants"

    class SmallKey(models.Model):
        id = models.AutoField(primary_key=True)

        class Meta:
            app_label = "outbox"

    try:
        problems = placement_violations(
            [Unplaced, CascadingIntoPublic, PointsAtOrganisations, PublicPointsIntoTenant, SmallKey]
        )
    finally:
        for model in (
            Unplaced,
            CascadingIntoPublic,
            PointsAtOrganisations,
            PublicPointsIntoTenant,
            SmallKey,
        ):
            apps.all_models[model._meta.app_label].pop(model._meta.model_name, None)
        apps.clear_cache()
    text = "\n".join(problems)
    assert "Unplaced declares no placement" in text
    assert "CascadingIntoPublic.user -> tenants.User: a tenant model's reference" in text
    assert (
        "PointsAtOrganisations.organisation -> tenants.Organisation: a tenant model may not" in text
    )
    assert "PublicPointsIntoTenant.event -> outbox.OutboxEvent: a public model may not" in text
    assert "SmallKey has a 32-bit key" in text


def test_tenant_app_listed_as_shared_is_caught():
    problems = placement_violations(
        shared_apps=["django.contrib.auth", "case_apps.outbox"], tenant_apps=["case_apps.outbox"]
    )
    assert any("outbox.OutboxEvent is declared tenant" in p for p in problems)


def _lint_imports(config: Path | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO / "platform"), str(REPO)])}
    command = [str(Path(sys.executable).parent / "lint-imports"), "--no-cache"]
    if config:
        command.append(str(config))
    return subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True, check=False)


def test_import_boundaries_hold():
    result = _lint_imports()
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Contracts: " in result.stdout and " broken" in result.stdout


def test_import_linter_fails_on_a_broken_boundary(tmp_path):
    """A contract that the code breaks on purpose must make lint-imports fail."""
    config = tmp_path / "broken.toml"
    config.write_text(
        '[tool.importlinter]\nroot_packages = ["cpims", "tenants"]\n'
        "include_external_packages = true\n"
        "[[tool.importlinter.contracts]]\n"
        'name = "deliberately broken"\ntype = "forbidden"\n'
        'source_modules = ["tenants"]\nforbidden_modules = ["django_tenants"]\n'
    )
    result = _lint_imports(config)
    assert result.returncode != 0
    assert "BROKEN" in result.stdout


def _python_files() -> list[Path]:
    files: list[Path] = []
    for folder in APP_DIRS:
        files += [p for p in (REPO / folder).rglob("*.py") if "migrations" not in p.parts]
    return files


def schema_switching_outside_allowed(files: list[Path]) -> list[str]:
    found = []
    for path in files:
        relative = path.relative_to(REPO).as_posix()
        if relative in SCHEMA_SWITCHERS:
            continue
        for number, line in enumerate(path.read_text().splitlines(), start=1):
            match = SWITCHING.search(line)
            if not match:
                continue
            if relative in PRIMITIVE_CALLERS and match.group(1) in {
                "activate_workspace",
                "set_schema_to_public",
            }:
                continue
            found.append(f"{relative}:{number}: {line.strip()}")
    return found


def test_no_schema_switching_outside_the_allowed_modules():
    assert schema_switching_outside_allowed(_python_files()) == []


def test_schema_switching_search_finds_a_violation(tmp_path):
    (tmp_path / "case_apps").mkdir()
    bad = tmp_path / "case_apps" / "sneaky.py"
    bad.write_text("from django_tenants.utils import schema_context\nwith schema_context('x'):\n")
    global REPO
    saved, REPO = REPO, tmp_path
    try:
        assert len(schema_switching_outside_allowed([bad])) == 2
    finally:
        REPO = saved


def test_platform_folder_does_not_shadow_the_standard_library():
    import platform

    assert not (REPO / "platform" / "__init__.py").exists()
    assert Path(platform.__file__).parent != REPO / "platform"
    assert callable(platform.python_version)


def test_top_level_layout():
    for name in [
        "platform",
        "tenants",
        "shared_registry",
        "case_apps",
        "audit",
        "provisioning",
        "tests",
        "manage.py",
        "pyproject.toml",
        "README.md",
    ]:
        assert (REPO / name).exists(), name


def test_both_placement_is_for_listed_third_party_apps_with_declared_references():
    """auditlog lives in both schemas; its references into public are declared exceptions, and
    anything else in both schemas must reference public without cascade or constraint."""
    from django.apps import apps

    from cpims.placement import BOTH_REFERENCES_INTO_PUBLIC, THIRD_PARTY_PLACEMENT

    assert THIRD_PARTY_PLACEMENT["auditlog"] == "both"
    assert set(BOTH_REFERENCES_INTO_PUBLIC) == {
        "auditlog.LogEntry.actor",
        "auditlog.LogEntry.content_type",
    }

    class UndeclaredReference(models.Model):
        user = models.ForeignKey("tenants.User", on_delete=models.SET_NULL, null=True)

        class Meta:
            app_label = "auditlog"

    try:
        problems = placement_violations([UndeclaredReference])
        half_listed = placement_violations(
            shared_apps=["auditlog"],
            tenant_apps=[],
            model_list=[apps.get_model("auditlog.LogEntry")],
        )
    finally:
        apps.all_models["auditlog"].pop("undeclaredreference", None)
        apps.clear_cache()
    assert any("UndeclaredReference.user -> tenants.User: a model in both" in p for p in problems)
    assert any("auditlog.LogEntry is declared both" in p for p in half_listed)


FORMATTER_OPT_OUTS = re.compile(r"#\s*fmt:\s*(skip|off|on)\b")


def formatter_opt_outs(files: list[Path]) -> list[str]:
    """Lines that take the layout away from `ruff format` (it owns the layout)."""
    found = []
    for path in files:
        for number, line in enumerate(path.read_text().splitlines(), start=1):
            if FORMATTER_OPT_OUTS.search(line):
                found.append(f"{path.name}:{number}")
    return found


def test_the_formatter_owns_the_layout():
    files = [
        p
        for p in REPO.rglob("*.py")
        if not {".venv", ".local", "node_modules"} & set(p.relative_to(REPO).parts)
    ]
    assert formatter_opt_outs(files) == []


def test_a_formatter_opt_out_is_found(tmp_path):
    bad = tmp_path / "layout.py"
    bad.write_text("def f(a, b):  # fmt" + ": skip\n    return a\n")
    assert formatter_opt_outs([bad]) == ["layout.py:1"]


# Exports: every CSV/XLSX/ODS writer goes through SPREADSHEET_MODULE (formula injection).
SPREADSHEET_MODULE = "platform/cpims/spreadsheets.py"
SPREADSHEET_WRITERS = re.compile(
    r"\bcsv\.(writer|DictWriter)\b|\bopenpyxl\b|\bWorkbook\b|\bxlsxwriter\b|\bodf\b|"
    r"\bezodf\b|\bpyexcel\w*|\btablib\b|\bpandas\b"
)


def spreadsheet_writers_outside_the_module(files: list[Path]) -> list[str]:
    """Lines that write spreadsheet files without cpims.spreadsheets (which neutralises)."""
    found = []
    for path in files:
        relative = path.relative_to(REPO).as_posix()
        if relative == SPREADSHEET_MODULE:
            continue
        for number, line in enumerate(path.read_text().splitlines(), start=1):
            if SPREADSHEET_WRITERS.search(line):
                found.append(f"{relative}:{number}: {line.strip()}")
    return found


def test_every_export_writes_through_the_neutralising_module():
    assert spreadsheet_writers_outside_the_module(_python_files()) == []


def test_an_export_writing_csv_directly_is_found(tmp_path):
    (tmp_path / "national_statistics").mkdir()
    bad = tmp_path / "national_statistics" / "report.py"
    bad.write_text(
        "import csv\nw = csv.writer(out)\nfrom openpyxl import Workbook\nimport csv as c\n"
    )
    global REPO
    saved, REPO = REPO, tmp_path
    try:
        assert len(spreadsheet_writers_outside_the_module([bad])) == 2
    finally:
        REPO = saved


# API input: every string, number, list and map a caller sends has a ceiling (issue 14).
def _resolve(schema: dict, document: dict) -> dict:
    while "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        schema = document["components"]["schemas"][name]
    return schema


def unbounded_inputs(document: dict) -> list[str]:
    """Inputs of an OpenAPI document with no upper bound (strings without maxLength, numbers
    without maximum, lists without maxItems, maps without maxProperties)."""
    found: list[str] = []

    def check(schema: dict, where: str) -> None:
        schema = _resolve(schema, document)
        for key in ("anyOf", "oneOf", "allOf"):
            for index, part in enumerate(schema.get(key, [])):
                check(part, f"{where}[{index}]")
        kind = schema.get("type")
        if kind == "string" and not (
            "maxLength" in schema
            or "enum" in schema
            or schema.get("format") in {"date", "date-time"}
        ):
            found.append(f"{where}: string without maxLength")
        if kind in {"integer", "number"} and not {"maximum", "exclusiveMaximum"} & set(schema):
            found.append(f"{where}: number without maximum")
        if kind == "array":
            if "maxItems" not in schema:
                found.append(f"{where}: list without maxItems")
            check(schema.get("items", {}), f"{where}[]")
        if kind == "object" or "properties" in schema:
            for name, part in schema.get("properties", {}).items():
                check(part, f"{where}.{name}")
            extra = schema.get("additionalProperties")
            if isinstance(extra, dict):
                if "maxProperties" not in schema:
                    found.append(f"{where}: map without maxProperties")
                check(extra, f"{where}{{}}")

    for path, methods in document["paths"].items():
        for method, operation in methods.items():
            name = f"{method.upper()} {path}"
            for parameter in operation.get("parameters", []):
                check(parameter.get("schema", {}), f"{name} {parameter['name']}")
            for media in operation.get("requestBody", {}).get("content", {}).values():
                check(media.get("schema", {}), f"{name} body")
    return found


def test_every_api_input_is_bounded():
    from cpims.api import platform_api, workspace_api

    for api in (workspace_api, platform_api):
        assert unbounded_inputs(api.get_openapi_schema(path_prefix="/api/v1")) == []


def test_an_unbounded_api_input_is_found():
    document = {
        "components": {"schemas": {"In": {"properties": {"name": {"type": "string"}}}}},
        "paths": {
            "/x": {
                "post": {
                    "parameters": [{"name": "limit", "schema": {"type": "integer"}}],
                    "requestBody": {
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/In"}}
                        }
                    },
                }
            }
        },
    }
    assert unbounded_inputs(document) == [
        "POST /x limit: number without maximum",
        "POST /x body.name: string without maxLength",
    ]


def unbounded_form_fields(form_classes) -> list[str]:
    """Text fields of web forms with no max_length (over-long input must be a form error)."""
    from django import forms as django_forms

    found = []
    for form_class in form_classes:
        for name, field in form_class.base_fields.items():
            if isinstance(field, django_forms.CharField) and not field.max_length:
                found.append(f"{form_class.__module__}.{form_class.__name__}.{name}")
    return found


def _our_form_classes():
    import importlib

    from django import forms as django_forms

    for path in _python_files():
        if "forms.Form)" in path.read_text() or "forms.ModelForm)" in path.read_text():
            relative = path.relative_to(REPO)
            parts = relative.with_suffix("").parts
            importlib.import_module(".".join(parts[1:] if parts[0] == "platform" else parts))
    classes, queue = [], [django_forms.BaseForm]
    while queue:
        for subclass in queue.pop().__subclasses__():
            queue.append(subclass)
            if subclass.__module__.split(".")[0] in {p.split("/")[0] for p in APP_DIRS} | {"cpims"}:
                classes.append(subclass)
    return classes


def test_every_form_text_field_is_bounded():
    assert unbounded_form_fields(_our_form_classes()) == []


def test_an_unbounded_form_field_is_found():
    from django import forms as django_forms

    class Loose(django_forms.Form):
        name = django_forms.CharField()
        code = django_forms.CharField(max_length=4)

    assert unbounded_form_fields([Loose]) == [f"{__name__}.Loose.name"]


# --- Views and API endpoints are thin (issue 16): no ORM on tenant models, actors named -------
THIN_ROOTS = (
    "case_apps",
    "sharing",
    "shared_registry",
    "national_statistics",
    "audit",
    "provisioning",
    "tenants",
)
THIN_MODULE = re.compile(r"^(views|api)[a-z0-9_]*\.py$")
ORM_MANAGERS = {"objects", "_default_manager", "_base_manager"}
ORM_QUERYSET_CALLS = {"select_for_update", "QuerySet"}
MOVING = "being moved behind services, issue 16"
# Modules that offended when the rule was written (computed from the code of that day). The
# list only shrinks: a test fails on an entry that no longer offends.
THIN_ALLOWLIST: dict[str, str] = {}
# Apps whose views and API modules touch no model manager at all, public models included
# (their selectors and services fetch everything as the actor).
NO_MANAGER_ROOTS = ("shared_registry/",)


def _thin_modules(root: Path) -> list[Path]:
    files = []
    for folder in THIN_ROOTS:
        files += [
            p
            for p in (root / folder).rglob("*.py")
            if THIN_MODULE.match(p.name) and "migrations" not in p.parts
        ]
    return sorted(files)


def _tenant_model_names() -> set[str]:
    """Class names of the models that live in each organisation's schema."""
    from django.apps import apps

    from cpims.placement import TENANT, app_placement

    return {
        model.__name__
        for model in apps.get_models()
        if app_placement(model._meta.app_config) == TENANT
    }


def _all_model_names() -> set[str]:
    """Class names of every model, public and tenant."""
    from django.apps import apps

    return {model.__name__ for model in apps.get_models()}


def _imported_names(tree) -> dict[str, str]:
    """Local name -> dotted origin, for the module's imports."""
    import ast

    names: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                names[alias.asname or alias.name.split(".")[0]] = (
                    alias.name if alias.asname else alias.name.split(".")[0]
                )
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                names[alias.asname or alias.name] = f"{node.module}.{alias.name}"
    return names


def _service_function(dotted: str):
    """The function a dotted name leads to when it lives in a services module, else None."""
    import importlib

    parts = dotted.split(".")
    for cut in range(len(parts) - 1, 0, -1):
        module_name = ".".join(parts[:cut])
        if not any(p.startswith("services") for p in parts[:cut]):
            continue
        try:
            value = importlib.import_module(module_name)
        except ImportError:
            continue
        for attribute in parts[cut:]:
            value = getattr(value, attribute, None)
        return value if callable(value) else None
    return None


def _misses_actor(function, call) -> bool:
    import inspect

    try:
        parameters = list(inspect.signature(function).parameters.values())
    except (TypeError, ValueError):
        return False
    names = [p.name for p in parameters]
    if "actor" not in names:
        return False
    if any(k.arg == "actor" or k.arg is None for k in call.keywords):
        return False  # named, or passed on through **kwargs
    position = names.index("actor")
    kind = parameters[position].kind
    return not (kind != inspect.Parameter.KEYWORD_ONLY and len(call.args) > position)


def thin_module_offences(path: Path, tenant_models: set[str]) -> list[str]:
    """What in one view or API module works around the services: ORM calls on tenant models,
    queryset locking or building, and write services called without their actor."""
    import ast

    tree = ast.parse(path.read_text())
    imported = _imported_names(tree)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute):
            base = node.value
            if (
                node.attr in ORM_MANAGERS
                and isinstance(base, ast.Name)
                and base.id in tenant_models
            ):
                found.append(f"{node.lineno}: {base.id}.{node.attr}")
            elif node.attr in ORM_QUERYSET_CALLS:
                found.append(f"{node.lineno}: .{node.attr}")
        elif isinstance(node, ast.Name) and node.id in ORM_QUERYSET_CALLS:
            found.append(f"{node.lineno}: {node.id}")
        elif isinstance(node, ast.Call):
            if (
                isinstance(node.func, ast.Name)
                and node.func.id in ("get_object_or_404", "get_list_or_404")
                and node.args
                and isinstance(node.args[0], ast.Name)
                and node.args[0].id in tenant_models
            ):
                found.append(f"{node.lineno}: {node.func.id}({node.args[0].id}, ...)")
            dotted = None
            if isinstance(node.func, ast.Name) and node.func.id in imported:
                dotted = imported[node.func.id]
            elif (
                isinstance(node.func, ast.Attribute)
                and isinstance(node.func.value, ast.Name)
                and node.func.value.id in imported
            ):
                dotted = f"{imported[node.func.value.id]}.{node.func.attr}"
            function = _service_function(dotted) if dotted else None
            if function is not None and _misses_actor(function, node):
                found.append(f"{node.lineno}: {dotted}(...) without actor=")
    return sorted(found, key=lambda line: (int(line.split(":")[0]), line))


def thin_offenders(root: Path = REPO) -> dict[str, list[str]]:
    tenant_models = _tenant_model_names()
    all_models = _all_model_names()
    offenders = {}
    for path in _thin_modules(root):
        relative = path.relative_to(root).as_posix()
        models_watched = all_models if relative.startswith(NO_MANAGER_ROOTS) else tenant_models
        offences = thin_module_offences(path, models_watched)
        if offences:
            offenders[path.relative_to(root).as_posix()] = offences
    return offenders


def test_views_and_api_modules_keep_to_services_and_selectors():
    """House rule: views and endpoints call services (with the actor) and selectors; they do
    not query or lock tenant tables themselves."""
    offenders = thin_offenders()
    new = {path: found for path, found in offenders.items() if path not in THIN_ALLOWLIST}
    assert new == {}


def test_the_thin_allowlist_only_shrinks():
    """An allowlisted module that no longer offends must leave the list."""
    offenders = thin_offenders()
    assert sorted(path for path in THIN_ALLOWLIST if path not in offenders) == []


def test_the_thin_check_finds_a_planted_offence(tmp_path):
    (tmp_path / "case_apps" / "planted").mkdir(parents=True)
    planted = tmp_path / "case_apps" / "planted" / "views_planted.py"
    planted.write_text(
        "from audit.services import access_record\n"
        "from case_apps.cases.models import CaseRecord\n"
        "def page(request, pk):\n"
        "    case = CaseRecord.objects.filter(pk=pk).select_for_update().get()\n"
        "    access_record(record_kind='case', record_id=case.pk)\n"
        "    access_record(actor=request.user, record_kind='case', record_id=case.pk)\n"
        "    access_record(**{'actor': request.user})\n"
        "    get_object_or_404(CaseRecord, pk=pk)\n"
        "    return case\n"
    )
    (tmp_path / "case_apps" / "planted" / "services.py").write_text(
        "from case_apps.cases.models import CaseRecord\nCaseRecord.objects.all()\n"
    )
    found = thin_offenders(tmp_path)
    assert found == {
        "case_apps/planted/views_planted.py": [
            "4: .select_for_update",
            "4: CaseRecord.objects",
            "5: audit.services.access_record(...) without actor=",
            "8: get_object_or_404(CaseRecord, ...)",
        ]
    }


def test_the_thin_check_covers_public_models_in_the_registrys_views_and_api(tmp_path):
    """In shared_registry's views and API modules a public model's manager is an offence too;
    elsewhere the rule stays on tenant models."""
    offence = (
        "from shared_registry.models import Person, PersonMerge\n"
        "def page(request, pk):\n"
        "    get_object_or_404(PersonMerge, pk=pk)\n"
        "    return Person.objects.filter(pk=pk).first()\n"
    )
    for folder in ("shared_registry", "case_apps/planted"):
        (tmp_path / folder).mkdir(parents=True)
    (tmp_path / "shared_registry" / "api_planted.py").write_text(offence)
    (tmp_path / "shared_registry" / "selectors_planted.py").write_text(offence)
    (tmp_path / "case_apps" / "planted" / "views_planted.py").write_text(offence)
    assert thin_offenders(tmp_path) == {
        "shared_registry/api_planted.py": [
            "3: get_object_or_404(PersonMerge, ...)",
            "4: Person.objects",
        ]
    }
