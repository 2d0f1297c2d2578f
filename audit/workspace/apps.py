from django.apps import AppConfig


class AuditWorkspaceConfig(AppConfig):
    name = "audit.workspace"
    label = "audit_workspace"
    verbose_name = "Audit (workspace)"
    placement = "tenant"
