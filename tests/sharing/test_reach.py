"""Issue 14, findings 3 and 8 on the sharing side: linking a person widens no agreement, and
the shared child page answers nothing (not even the name) without an agreement in force."""

from __future__ import annotations

import pytest

from tests.case_apps.conftest import open_case
from tests.conftest import client_on
from tests.sharing.conftest import SHARED_VILLAGE, active_agreement

pytestmark = pytest.mark.django_db


def test_an_outsider_cannot_widen_an_agreement_by_linking(world, scene):
    """'Persons known to both organisations' is computed from records each holds."""
    active_agreement(world, scene, persons_mode="referred", person_ids=[])
    acme = client_on(world.acme, world.acme_worker)
    url = f"/api/v1/sharing/persons/{scene.child.cpims_id}/shared-records"
    before = acme.get(url)
    assert before.status_code == 403 and before.json()["reason"] == "nothing_shared"
    link = acme.post(
        f"/api/v1/registry/persons/{scene.child.cpims_id}/link", content_type="application/json"
    )
    assert link.status_code in (404, 405)
    after = acme.get(url)
    assert after.status_code == 403 and SHARED_VILLAGE not in after.content.decode()
    # a record of its own (a case) makes the child known to both organisations
    open_case(world.acme, world.acme_worker, scene.child)
    shared = acme.get(url)
    assert shared.status_code == 200 and SHARED_VILLAGE in shared.content.decode()


def test_the_shared_child_page_names_no_one_without_an_agreement(world, scene):
    acme = client_on(world.acme, world.acme_worker)
    for pk in (scene.child.pk, scene.other_child.pk, scene.child.pk + 1000):
        page = acme.get(f"/sharing/children/{pk}/")
        assert page.status_code == 404
        assert b"NEEMA" not in page.content and b"CHEPKOECH" not in page.content
    active_agreement(world, scene)  # names the child only
    assert acme.get(f"/sharing/children/{scene.child.pk}/").status_code == 200
    assert acme.get(f"/sharing/children/{scene.other_child.pk}/").status_code == 404
