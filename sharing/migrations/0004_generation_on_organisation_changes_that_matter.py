"""Organisations move the sharing generation only when a column the gateway relies on
changes (status, schema name, slug, name) or a row is added or removed: provisioning
updates an organisation's row at every step, and each of those updates otherwise took the
generation row's lock until its transaction ended, serialising concurrent provisioning."""

from django.db import migrations

ROW_FUNCTION = """
CREATE OR REPLACE FUNCTION public.cpims_sharing_generation_bump_row() RETURNS trigger
LANGUAGE plpgsql AS $body$
BEGIN
    UPDATE public.sharing_generation SET value = nextval('public.sharing_generation_seq')
    WHERE id = 1;
    RETURN NULL;
END
$body$;
"""

FORWARD = [
    "DROP TRIGGER IF EXISTS sharing_generation_bump ON public.tenants_organisation",
    ROW_FUNCTION,
    "CREATE TRIGGER sharing_generation_bump AFTER INSERT OR DELETE OR TRUNCATE "
    "ON public.tenants_organisation FOR EACH STATEMENT "
    "EXECUTE FUNCTION public.cpims_sharing_generation_bump()",
    "CREATE TRIGGER sharing_generation_bump_update AFTER UPDATE ON public.tenants_organisation "
    "FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status "
    "OR OLD.schema_name IS DISTINCT FROM NEW.schema_name OR OLD.slug IS DISTINCT FROM NEW.slug "
    "OR OLD.name IS DISTINCT FROM NEW.name) "
    "EXECUTE FUNCTION public.cpims_sharing_generation_bump_row()",
]

BACKWARD = [
    "DROP TRIGGER IF EXISTS sharing_generation_bump_update ON public.tenants_organisation",
    "DROP TRIGGER IF EXISTS sharing_generation_bump ON public.tenants_organisation",
    "DROP FUNCTION IF EXISTS public.cpims_sharing_generation_bump_row()",
    "CREATE TRIGGER sharing_generation_bump AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE "
    "ON public.tenants_organisation FOR EACH STATEMENT "
    "EXECUTE FUNCTION public.cpims_sharing_generation_bump()",
]


class Migration(migrations.Migration):
    dependencies = [("sharing", "0003_sharing_generation")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
