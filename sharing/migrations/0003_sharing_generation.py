"""The sharing generation: a value bumped by triggers on every change that can alter what
an agreement covers (agreements, consents, organisations), from a sequence so that a rolled
back change never hands a value out twice."""

from django.db import migrations, models

TABLES = ("sharing_datasharingagreement", "sharing_consent", "tenants_organisation")

FUNCTION = """
CREATE OR REPLACE FUNCTION public.cpims_sharing_generation_bump() RETURNS trigger
LANGUAGE plpgsql AS $body$
BEGIN
    UPDATE public.sharing_generation SET value = nextval('public.sharing_generation_seq')
    WHERE id = 1;
    RETURN NULL;
END
$body$;
"""


def _triggers(verb: str) -> list[str]:
    if verb == "drop":
        return [f"DROP TRIGGER IF EXISTS sharing_generation_bump ON public.{t}" for t in TABLES]
    return [
        f"CREATE TRIGGER sharing_generation_bump AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE "
        f"ON public.{t} FOR EACH STATEMENT "
        "EXECUTE FUNCTION public.cpims_sharing_generation_bump()"
        for t in TABLES
    ]


class Migration(migrations.Migration):
    dependencies = [
        ("sharing", "0002_consent_and_referrals"),
        ("tenants", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="SharingGeneration",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("value", models.BigIntegerField(default=0)),
            ],
            options={"db_table": "sharing_generation"},
        ),
        migrations.RunSQL(
            [
                "CREATE SEQUENCE IF NOT EXISTS public.sharing_generation_seq",
                "INSERT INTO public.sharing_generation (id, value) "
                "VALUES (1, nextval('public.sharing_generation_seq'))",
                FUNCTION,
                *_triggers("create"),
            ],
            [
                *_triggers("drop"),
                "DROP FUNCTION IF EXISTS public.cpims_sharing_generation_bump()",
                "DROP SEQUENCE IF EXISTS public.sharing_generation_seq",
            ],
        ),
    ]
