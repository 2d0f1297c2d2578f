"""Documents uploaded at sign-up and the cached script that builds a workspace schema."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tenants.models import Organisation


class DocumentKind(models.TextChoices):
    REGISTRATION_CERTIFICATE = "registration_certificate", _("Registration certificate")


class OrganisationDocument(models.Model):
    """A document an applicant uploaded for verification (stored via Django storage)."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="documents"
    )
    kind = models.CharField(max_length=32, choices=DocumentKind.choices)
    file = models.FileField(upload_to="onboarding/%Y/%m/")
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["uploaded_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} of {self.organisation}"


class SchemaBlueprint(models.Model):
    """The SQL that the tenant migrations ran to build one workspace schema, recorded once
    per migration state (``key``) and replayed in one transaction for each new workspace."""

    key = models.CharField(max_length=64, unique=True)
    statements = models.JSONField()
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"blueprint {self.key[:12]} ({len(self.statements)} statements)"


class PooledSchema(models.Model):
    """A workspace schema built ahead of time from the blueprint ``key`` (named
    ``pool_<hex>``, belonging to no organisation), renamed to an organisation's schema when
    one is approved. Only a schema built under the current migrations is ever handed out."""

    schema_name = models.CharField(max_length=63, unique=True)
    key = models.CharField(max_length=64, db_index=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"pooled schema {self.schema_name} ({self.key[:12]})"
