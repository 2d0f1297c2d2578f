"""The demo data of the run command: complete, and loading twice changes nothing."""

import pytest

from case_apps.cases.models import ApprovalRequest, CaseRecord
from cpims.demo import DEMO_ACCOUNTS, load_demo_data
from tenants.models import Organisation, OrganisationStatus, User
from tenants.schema import workspace_context

pytestmark = pytest.mark.django_db


def test_demo_data_is_complete_and_idempotent(world):
    load_demo_data(password="demo-password-for-tests")
    tumaini = Organisation.objects.get(slug="tumaini")
    assert tumaini.status == OrganisationStatus.ACTIVE
    assert Organisation.objects.get(slug="imara").status == OrganisationStatus.ACTIVE
    assert User.objects.filter(email__in=[a.email for a in DEMO_ACCOUNTS]).count() == len(
        DEMO_ACCOUNTS
    )
    with workspace_context(tumaini):
        assert CaseRecord.objects.count() == 6
        assert ApprovalRequest.objects.filter(status="pending").count() == 1
    load_demo_data(password="demo-password-for-tests")
    with workspace_context(tumaini):
        assert CaseRecord.objects.count() == 6
    assert (
        User.objects.filter(email="worker@tumaini.demo")
        .get()
        .check_password("demo-password-for-tests")
    )
