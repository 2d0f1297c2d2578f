"""Which models django-auditlog records: every model of our apps, unless excluded here with
a reason. New apps are covered automatically (``register_all_models`` runs in
``AuditConfig.ready``); tests/audit/test_write_audit.py fails on any model left out."""

from __future__ import annotations

from auditlog.registry import auditlog
from django.apps import apps

OUR_APP_ROOTS = (
    "cpims",
    "tenants",
    "shared_registry",
    "case_apps",
    "audit",
    "provisioning",
    "national_statistics",
    "sharing",
    "integrations",
    "webhooks",
)

# Models not recorded, and why (labels; an app label ending in "." excludes the whole app).
NOT_AUDITED: dict[str, str] = {
    "audit.PlatformAccessEntry": "is itself an append-only, hash-chained log",
    "audit_workspace.AccessEntry": "is itself an append-only, hash-chained log",
    "outbox.OutboxEvent": "derived events written with the audited change they describe",
    "national_statistics.": "de-identified facts derived from the outboxes (no personal data)",
    "provisioning.SchemaBlueprint": "a cached build script, not business data",
    "provisioning.PooledSchema": "a schema built ahead of time, not business data (its hand-over "
    "is recorded as the organisation's own audited change)",
    "audit.ApiRequestCount": "a counter of API requests per caller and minute (the rate limit)",
    "audit.SignInThrottle": "a counter of failed sign-ins (noise; allauth logs sign-ins)",
    "shared_registry.RegistryLookupCount": "a counter of registry look-ups per member (the "
    "look-ups themselves are in the access log)",
    "audit.DisposalRun": "the retention report; each disposed record has its own change-log "
    "entry in its organisation and each disposal a summary in the platform access log",
    "outbox.IdempotentRequest": "a replayable answer to an API request kept 24 hours; the "
    "change the request made is audited on its own",
    "cpims.IdempotentRequest": "a replayable answer to an API request kept 24 hours; the "
    "change the request made is audited on its own",
    "webhooks.WebhookDelivery": "the delivery log itself (what was sent, when, the answers); "
    "the subscriptions that decide where deliveries go are audited",
    "webhooks.WebhookAttempt": "the delivery log itself (each attempt's answer)",
}
# Fields never copied into the log (secrets and noise), per model label; every model also
# drops the fields named in ALWAYS_EXCLUDED.
EXCLUDED_FIELDS: dict[str, list[str]] = {
    "tenants.User": ["password", "last_login"],
    "audit.PersonalAccessToken": ["digest", "last_used_at"],
    # consent and referrals between organisations live in public, so their change log is the
    # platform's (read by DCS headquarters): who, when and status only, never what they say
    # about the child (the workspaces show that to those who may see it)
    "sharing.Consent": ["giver_name", "reference", "purpose", "withdrawal_reason"],
    "sharing.OrganisationReferral": ["reason", "summary"],
    "sharing.ReferralEvent": ["reason"],
    # vacancy applications too (HQ confirms them from public): the office's notes on the
    # child, HQ's reason to decline and each step's reason stay out of the diff
    "sharing.VacancyApplication": ["notes", "decline_reason"],
    "sharing.VacancyEvent": ["reason"],
    "integrations.Dhis2Connection": ["password_encrypted", "last_checked_at"],
    "integrations.ReferenceSource": ["secret_encrypted", "client_secret_encrypted"],
    # signing secrets, even encrypted, stay out of the change log
    "webhooks.WebhookSubscription": ["secret_encrypted", "previous_secret_encrypted"],
}
ALWAYS_EXCLUDED = ("password", "digest", "token_hash", "secret")


def is_our_model(model) -> bool:
    return model._meta.app_config.name.split(".")[0] in OUR_APP_ROOTS


def exclusion_reason(model) -> str | None:
    label = model._meta.label
    return NOT_AUDITED.get(label) or NOT_AUDITED.get(f"{model._meta.app_label}.")


def models_to_audit() -> list:
    return [
        model
        for model in apps.get_models()
        if is_our_model(model)
        and not model._meta.abstract
        and not model._meta.proxy
        and exclusion_reason(model) is None
    ]


def register_all_models() -> None:
    for model in models_to_audit():
        if auditlog.contains(model):
            continue
        names = {f.name for f in model._meta.get_fields()}
        excluded = EXCLUDED_FIELDS.get(model._meta.label, []) + [
            name for name in ALWAYS_EXCLUDED if name in names
        ]
        auditlog.register(model, exclude_fields=sorted(set(excluded)))


# Kept for callers of the first version of this module.
register_platform_models = register_all_models
