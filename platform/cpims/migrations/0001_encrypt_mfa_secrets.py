"""Authenticator secrets stored in clear text before encryption at rest are encrypted."""

from django.db import migrations

from cpims.mfa import TOKEN_PREFIX, secret_encrypt

SECRET_FIELDS = ("secret", "seed")  # TOTP key; recovery-code seed


def encrypt_stored_secrets(apps, schema_editor) -> None:
    Authenticator = apps.get_model("mfa", "Authenticator")
    for authenticator in Authenticator.objects.using(schema_editor.connection.alias).all():
        data = dict(authenticator.data or {})
        changed = False
        for field in SECRET_FIELDS:
            value = data.get(field)
            if isinstance(value, str) and not value.startswith(TOKEN_PREFIX):
                data[field] = secret_encrypt(value)
                changed = True
        if changed:
            authenticator.data = data
            authenticator.save(update_fields=["data"])


class Migration(migrations.Migration):
    dependencies = [("mfa", "0003_authenticator_type_uniq")]
    operations = [migrations.RunPython(encrypt_stored_secrets, migrations.RunPython.noop)]
