"""Isolation across organisations, for every URL and API operation there is.

URL patterns are enumerated from Django's resolvers and API operations from the
OpenAPI documents, so a new endpoint is covered without editing this test. Beta
gets a case full of markers; then every endpoint is requested as a member of acme
(on acme's host, with beta's ids), as a member of acme on beta's host, as a DCS user
without any agreement on beta's host, and anonymously. None may answer with a
marker, and none may answer 500.
"""

from __future__ import annotations

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from tenants.actor import Actor, member_actor
from tests.case_apps.conftest import make_child, open_case
from tests.conftest import client_on

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

MARKERS = ("ZQXMARKERNARRATIVE", "ZQXMARKERREPORTER")
SKIP_PREFIXES = ("/static/", "/accounts/logout/", "/i18n/")


def _walk(patterns, prefix: str = "") -> list[tuple[str, object]]:
    found = []
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            found += _walk(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            found.append((prefix + str(pattern.pattern), pattern))
    return found


def _concrete(route: str, ids: list[int]) -> list[str]:
    """Fill route converters: every int with each of ``ids``, other parameters with 'x'."""
    route = route.lstrip("^").rstrip("$")
    if "(?P" in route or "\\" in route:  # a regex route (third-party): try it plain
        route = re.sub(r"\(\?P<[^>]+>[^)]+\)", "1", route).replace("\\", "")
    urls = []
    for value in ids:
        path = re.sub(r"<int:[^>]+>", str(value), route)
        path = re.sub(r"<(?:str|slug|uuid|path):?[^>]*>", "x", path)
        path = re.sub(r"<[^>]+>", "x", path)
        urls.append("/" + path.lstrip("/"))
    return sorted(set(urls))


def workspace_urls(ids: list[int]) -> list[str]:
    urls = []
    for route, _ in _walk(get_resolver("cpims.urls_tenant").url_patterns):
        urls += [u for u in _concrete(route, ids) if not u.startswith(SKIP_PREFIXES)]
    return sorted(set(urls))


def platform_urls(ids: list[int]) -> list[str]:
    urls = []
    for route, _ in _walk(get_resolver("cpims.urls_public").url_patterns):
        urls += [u for u in _concrete(route, ids) if not u.startswith(SKIP_PREFIXES)]
    return sorted(set(urls))


def api_urls(client, ids: list[int | str]) -> list[str]:
    document = client.get("/api/v1/openapi.json").json()
    urls = []
    for path, operations in document["paths"].items():
        if "get" not in operations:
            continue
        for value in ids:
            urls.append(re.sub(r"\{[^}]+\}", str(value), path))
    return sorted(set(urls))


def body_of(response) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


def assert_nothing_leaks(client, urls: list[str], who: str) -> None:
    for url in urls:
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            assert response.status_code < 500, (who, method, url, response.status_code)
            body = body_of(response)
            for marker in MARKERS:
                assert marker.encode() not in body, (who, method, url)


@pytest.fixture
def beta_case(world, national_lists):
    case = open_case(
        world.beta,
        world.beta_worker,
        make_child("Neema", "Chepkoech"),
        narrative=MARKERS[0],
        reporter_name=MARKERS[1],
    )
    case.sharing_ids = _beta_consent_and_transfer(world, case)
    return case


def _beta_consent_and_transfer(world, case) -> tuple[int, int]:
    """Beta's consent for its child (covering the marked fields) and a pending transfer of the
    child to a third organisation carrying them: nobody but beta may see either."""
    from datetime import timedelta

    from django.utils import timezone

    from sharing.models import Consent, OrganisationReferral
    from tests.factories import OrganisationFactory

    today = timezone.localdate()
    consent = Consent.objects.create(
        person=case.child,
        organisation=world.beta,
        given_by="parent",
        giver_name=MARKERS[1],
        purpose=MARKERS[0],
        scope={"case_summary": ["narrative", "reporter_name"]},
        given_on=today,
        valid_until=today + timedelta(days=30),
        recorded_by=world.beta_worker,
    )
    row = {"narrative": MARKERS[0], "reporter_name": MARKERS[1]}
    referral = OrganisationReferral.objects.create(
        sender=world.beta,
        receiver=OrganisationFactory(),
        person=case.child,
        kind="transfer",
        reason=MARKERS[0],
        consent=consent,
        sender_case_id=case.pk,
        sender_case_reference=case.national_reference,
        created_by=world.beta_worker,
        summary={"case_summary": {"fields": list(row), "rows": [row]}},
    )
    return consent.pk, referral.pk


def test_no_endpoint_leaks_beta_to_anyone_else(world, beta_case):
    ids = sorted({beta_case.pk, beta_case.child_id, *beta_case.sharing_ids, 1, 2})
    acme_member = client_on(world.acme, world.acme_admin)
    # API paths also name persons by CPIMS ID (consents, shared records)
    api_ids = [*ids, beta_case.child.cpims_id]
    tenant_urls = workspace_urls(ids) + api_urls(client_on(world.beta, world.beta_worker), api_ids)
    assert any("/cases/" in url for url in tenant_urls)  # the enumeration found the case screens
    assert acme_member.get("/cases/").status_code == 200  # a real probe, not a redirect
    assert_nothing_leaks(acme_member, tenant_urls, "acme admin on acme's host")
    assert_nothing_leaks(
        client_on(world.beta, world.acme_admin), tenant_urls, "acme admin on beta's host"
    )
    assert_nothing_leaks(
        client_on(world.beta, world.hq_admin),
        tenant_urls,
        "DCS national administrator without an agreement on beta's host",
    )
    assert_nothing_leaks(client_on(world.beta), tenant_urls, "anonymous on beta's host")
    public = platform_urls(ids)
    assert_nothing_leaks(client_on(None, world.hq_admin), public, "DCS user on the platform site")
    assert_nothing_leaks(client_on(None, world.acme_admin), public, "acme admin on the platform")


def test_the_owner_does_see_its_own_case(world, beta_case):
    """The markers are findable: the test above would catch a leak."""
    beta = client_on(world.beta, world.beta_worker)
    assert MARKERS[0].encode() in beta.get(f"/cases/{beta_case.pk}/").content


def test_an_agreement_lets_one_named_field_through_the_gateway_page_and_nothing_else(
    world, beta_case
):
    """The same sweep with an agreement in force that shares one field (the case reference)
    of beta's child with acme: the field reaches acme through the gateway page, the unshared
    fields (the markers) never reach anyone, a read of an unshared field is refused, and a
    revocation takes effect on the next request."""
    from datetime import timedelta

    from django.utils import timezone

    from sharing import gateway, services
    from tenants.models import PlatformRole, Role
    from tenants.services import membership_grant
    from tests.factories import UserFactory

    beta_admin = UserFactory(email="admin@beta.test")
    membership_grant(user=beta_admin, organisation=world.beta, roles=[Role.ORGANISATION_ADMIN])
    approver = UserFactory(email="sharing@dcs.test", platform_roles=[PlatformRole.SHARING_APPROVER])
    today = timezone.localdate()
    agreement = services.agreement_request(
        requester=world.acme,
        provider=world.beta,
        actor=Actor(user=world.acme_admin),
        scope={"case_summary": ["national_reference"]},
        persons_mode="named",
        person_ids=[beta_case.child_id],
        purpose="Continuity of care",
        legal_basis="Consent",
        start_date=today,
        end_date=today + timedelta(days=30),
    )
    services.agreement_accept(agreement=agreement, actor=Actor(user=beta_admin))
    services.agreement_approve(agreement=agreement, actor=Actor(user=approver))

    shared_field = beta_case.national_reference.encode()
    page = f"/sharing/children/{beta_case.child_id}/"
    acme_member = client_on(world.acme, world.acme_admin)
    response = acme_member.get(page)
    assert response.status_code == 200 and shared_field in response.content
    assert not any(marker.encode() in response.content for marker in MARKERS)

    ids = sorted({beta_case.pk, beta_case.child_id, agreement.pk, *beta_case.sharing_ids, 1, 2})
    api_ids = [*ids, beta_case.child.cpims_id]
    tenant_urls = workspace_urls(ids) + api_urls(client_on(world.beta, world.beta_worker), api_ids)
    assert page in tenant_urls  # the sweep covers the gateway page
    assert_nothing_leaks(acme_member, tenant_urls, "acme admin with an agreement")
    assert_nothing_leaks(
        client_on(world.beta, world.hq_admin), tenant_urls, "DCS user on beta's host"
    )
    assert_nothing_leaks(client_on(None, approver), platform_urls(ids), "DCS sharing approver")

    with pytest.raises(gateway.SharingRefused):  # an unshared field is refused outright
        gateway.read(
            actor=member_actor(world.acme_admin, world.acme),
            record_kind="case_summary",
            person=beta_case.child,
            fields=["narrative"],
        )
    services.agreement_revoke(
        agreement=agreement, actor=Actor(user=beta_admin), reason="Case closed"
    )
    assert shared_field not in acme_member.get(page).content  # the very next request
