"""factory_boy factories for the public models."""

import factory
from allauth.account.models import EmailAddress

from tenants.models import Membership, Organisation, OrganisationKind, Role, User

TEST_PASSWORD = "correct-horse-battery-staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.org")
    full_name = factory.Faker("name")
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def verified_email(obj, create, extracted, **kwargs):
        if create:
            obj.save()
            EmailAddress.objects.create(user=obj, email=obj.email, primary=True, verified=True)


class OrganisationFactory(factory.django.DjangoModelFactory):
    """An organisation row only (pending, no schema); provision it to get a workspace."""

    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisation {n}")
    slug = factory.Sequence(lambda n: f"org-{n}")
    schema_name = factory.LazyAttribute(lambda o: "org_" + o.slug.replace("-", "_"))
    kind = OrganisationKind.CCI


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    roles = factory.LazyFunction(lambda: [Role.CASE_WORKER])


def totp_code(secret: str) -> str:
    """The authenticator's code for this 30-second step: the middle counter of allauth's
    tolerance window (the first is the previous step, refused once the clock moves on)."""
    from allauth.mfa.totp.internal.auth import hotp_value, yield_hotp_counters_from_time

    counters = list(yield_hotp_counters_from_time())
    return f"{hotp_value(secret, counters[len(counters) // 2]):06d}"
