"""Where every model lives: ``public`` (shared by all) or ``tenant`` (one copy per organisation).

Our apps declare ``placement`` on their AppConfig; third-party apps are declared
here. ``placement_violations`` checks the house rules the conformance test
enforces (tests/test_house_rules.py).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.apps import apps
from django.conf import settings
from django.db import models

PUBLIC = "public"
TENANT = "tenant"
# A third-party app whose tables exist in public AND in every workspace (each schema logs its
# own writes). Allowed only for the apps listed with BOTH below.
BOTH = "both"

THIRD_PARTY_PLACEMENT = {
    "contenttypes": PUBLIC,
    "auth": PUBLIC,
    "sessions": PUBLIC,
    "account": PUBLIC,  # allauth must sit with auth and sessions (STACK-NOTES)
    "mfa": PUBLIC,
    "auditlog": BOTH,  # each schema keeps its own write log (issue 7)
    "constance": PUBLIC,
}
OUR_APP_ROOTS = (
    "cpims",
    "tenants",
    "shared_registry",
    "case_apps",
    "audit",
    "provisioning",
    "national_statistics",
    "sharing",
)
# Public models that identify organisations: a tenant model pointing at one would
# be a reference to another organisation's data.
ORGANISATION_MODELS = ("tenants.Organisation", "tenants.Domain")
# References from a "both" model into public that we cannot declare DO_NOTHING (third-party
# code): in the workspace copy the database constraint is dropped by a migration (named
# here), and the referenced public rows are never deleted while log rows point at them (the
# log is append-only: deleting such a user or content type is refused by the database).
BOTH_REFERENCES_INTO_PUBLIC = {
    "auditlog.LogEntry.actor": "audit_workspace 0002 drops the constraint in workspaces",
    "auditlog.LogEntry.content_type": "audit_workspace 0002 drops the constraint in workspaces",
}


def app_placement(app_config) -> str | None:
    if app_config is None:
        return None
    declared = getattr(app_config, "placement", None)
    return declared or THIRD_PARTY_PLACEMENT.get(app_config.label)


def _listed_in(app_name: str, app_list: Iterable[str]) -> bool:
    return app_name in app_list


def placement_violations(
    model_list: Iterable[type[models.Model]] | None = None,
    *,
    shared_apps: Iterable[str] | None = None,
    tenant_apps: Iterable[str] | None = None,
) -> list[str]:
    """Every broken placement rule, as one sentence each (empty when all is well)."""
    model_list = list(
        apps.get_models(include_auto_created=True) if model_list is None else model_list
    )
    shared_apps = list(settings.SHARED_APPS if shared_apps is None else shared_apps)
    tenant_apps = list(settings.TENANT_APPS if tenant_apps is None else tenant_apps)
    problems: list[str] = []

    def placement_of(model) -> str | None:
        # An auto-created M2M table lives with the model declaring the relation.
        owner = model._meta.auto_created
        if owner:
            return placement_of(owner)
        return app_placement(model._meta.app_config)

    for model in model_list:
        label = model._meta.label
        config = model._meta.app_config
        placement = placement_of(model)
        if placement not in {PUBLIC, TENANT, BOTH}:
            problems.append(f"{label} declares no placement (public or tenant)")
            continue
        if placement == BOTH and config.name.split(".")[0] in OUR_APP_ROOTS:
            problems.append(f"{label}: only listed third-party apps may live in both schemas")
            continue
        if not model._meta.auto_created:
            in_shared = _listed_in(config.name, shared_apps)
            in_tenant = _listed_in(config.name, tenant_apps)
            if placement == BOTH and not (in_shared and in_tenant):
                problems.append(
                    f"{label} is declared both but {config.name} is not in SHARED_APPS "
                    "and TENANT_APPS"
                )
            if placement == PUBLIC and (not in_shared or in_tenant):
                problems.append(
                    f"{label} is declared public but {config.name} is not only in SHARED_APPS"
                )
            if placement == TENANT and (not in_tenant or in_shared):
                problems.append(
                    f"{label} is declared tenant but {config.name} is not only in TENANT_APPS"
                )
            if config.name.split(".")[0] in OUR_APP_ROOTS and model._meta.pk is not None:
                pk = model._meta.pk
                if isinstance(pk, models.AutoField | models.SmallAutoField) and not isinstance(
                    pk, models.BigAutoField
                ):
                    problems.append(f"{label} has a 32-bit key; use BigAutoField (ARCHITECTURE 7)")
        for field in model._meta.fields:
            if not field.is_relation or field.related_model is None:
                continue
            target = field.related_model
            target_placement = placement_of(target)
            where = f"{label}.{field.name} -> {target._meta.label}"
            if placement in {PUBLIC, BOTH} and target_placement == TENANT:
                problems.append(f"{where}: a public model may not reference a tenant model")
            if placement == TENANT and target_placement == BOTH:
                continue  # the workspace's own copy, in the same schema
            if placement == BOTH and target_placement == PUBLIC:
                if target._meta.label in ORGANISATION_MODELS:
                    problems.append(
                        f"{where}: a model in workspaces may not reference organisations"
                    )
                exempt = f"{label}.{field.name}" in BOTH_REFERENCES_INTO_PUBLIC
                if not exempt and (
                    field.remote_field.on_delete is not models.DO_NOTHING or field.db_constraint
                ):
                    problems.append(
                        f"{where}: a model in both schemas must reference public with "
                        "on_delete=DO_NOTHING and db_constraint=False, or be listed in "
                        "BOTH_REFERENCES_INTO_PUBLIC with the migration that drops the constraint"
                    )
            if placement == TENANT and target_placement == PUBLIC:
                if target._meta.label in ORGANISATION_MODELS:
                    problems.append(f"{where}: a tenant model may not reference organisations")
                if field.remote_field.on_delete is not models.DO_NOTHING or field.db_constraint:
                    problems.append(
                        f"{where}: a tenant model's reference into public must be "
                        "on_delete=DO_NOTHING with db_constraint=False (no cascade across schemas)"
                    )
    return problems
