"""Issue 20's "done when" for the intake queue: a signed 116 report lands in the right
office's queue, an officer accepts it into a case through the screen, and the source's
callback (a stand-in WSGI server on 127.0.0.1) receives the signed outcome webhook, verified
with signature_verify. Also: forwarding and rejecting are told the same way."""

from __future__ import annotations

import json
import threading
from wsgiref.simple_server import WSGIRequestHandler, make_server

import pytest
from django.utils import timezone

from case_apps.cases.models import CaseRecord
from intake.models import IntakeClient, IntakeReport
from tenants.schema import workspace_context
from tests.conftest import client_on
from tests.intake.conftest import Source, report_body, signed_post
from webhooks.signing import signature_verify

pytestmark = pytest.mark.django_db


class _Quiet(WSGIRequestHandler):
    def log_message(self, format, *args):  # noqa: A002
        pass


class Callback:
    """The source's callback receiver: records every request, answers 200."""

    def __init__(self) -> None:
        self.received: list[tuple[dict[str, str], bytes]] = []
        self.server = make_server("127.0.0.1", 0, self.app, handler_class=_Quiet)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def app(self, environ, start_response):
        body = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
        headers = {
            key[5:].replace("_", "-").title(): value
            for key, value in environ.items()
            if key.startswith("HTTP_")
        }
        self.received.append((headers, body))
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [b"ok"]

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_port}/cpims/outcomes"


@pytest.fixture
def callback(settings):
    settings.CPIMS_WEBHOOKS_ALLOW_PRIVATE = True  # the stand-in listens on loopback
    receiver = Callback()
    receiver.thread.start()
    yield receiver
    receiver.server.shutdown()
    receiver.server.server_close()


def _client_with_callback(intake_world, url: str) -> tuple[Source, str]:
    """Childline Kenya's client, created on DCS headquarters' console screen."""
    hq = client_on(None, intake_world.hq)
    page = hq.post(
        "/console/intake/clients/",
        {"name": "Childline Kenya 116", "source_kind": "helpline_116", "callback_url": url},
    )
    assert page.status_code == 200
    shown = page.context["shown"]
    assert shown and shown["callback_secret"] in page.content.decode()
    client = IntakeClient.objects.get(pk=shown["client"].pk)
    assert client.subscription_id
    return Source(client, shown["secret"]), shown["callback_secret"]


def _verified(callback: Callback, secret: str) -> dict:
    assert len(callback.received) == 1, callback.received
    headers, body = callback.received.pop()
    assert signature_verify(
        secret, headers["X-Cpims-Timestamp"], body, headers["X-Cpims-Signature"]
    )
    assert not signature_verify(
        "another secret", headers["X-Cpims-Timestamp"], body, headers["X-Cpims-Signature"]
    )
    return json.loads(body)


def test_a_signed_116_report_is_accepted_into_a_case_and_the_source_hears_it(
    intake_world, callback, national_lists, django_capture_on_commit_callbacks
):
    source, callback_secret = _client_with_callback(intake_world, callback.url)
    answer = signed_post(source, report_body(source_reference="CL-2026-000123"))
    assert answer.status_code == 201, answer.content
    reference = answer.json()["reference"]

    # it lands in the Seme sub-county office's queue, and nowhere else
    officer = client_on(intake_world.office, intake_world.worker)
    queue = officer.get("/intake/")
    assert [r.reference for r in queue.context["page"].object_list] == [reference]
    other = client_on(intake_world.westlands, intake_world.westlands_worker).get("/intake/")
    assert list(other.context["page"].object_list) == []

    # the officer accepts it into a case through the screen
    page = officer.get(f"/intake/{reference}/")
    assert page.status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        accepted = officer.post(
            f"/intake/{reference}/",
            {
                "action": "accept",
                "person": "new",
                "risk_level": "RLHG",
                "decided_on": timezone.localdate().isoformat(),
            },
        )
    assert accepted.status_code == 302
    report = IntakeReport.objects.get(reference=reference)
    with workspace_context(intake_world.office):
        case = CaseRecord.objects.get(uuid=report.case_uuid)
    assert case.date_reported == report.reported_on and case.child_id == report.person_id

    # the source's callback received the signed outcome: reference, status, date; no more
    document = _verified(callback, callback_secret)
    assert document["event"] == "intake.outcome"
    assert document["data"] == {
        "reference": reference,
        "status": "accepted",
        "occurred_on": timezone.localdate().isoformat(),
    }
    text = json.dumps(document)
    for private in ("Akinyi", "Odhiambo", "Mary", "254700000001", case.national_reference):
        assert private not in text


def test_forwarding_and_rejecting_are_told_to_the_source(
    intake_world, callback, national_lists, django_capture_on_commit_callbacks
):
    source, callback_secret = _client_with_callback(intake_world, callback.url)
    reference = signed_post(source, report_body()).json()["reference"]
    today = timezone.localdate().isoformat()
    with django_capture_on_commit_callbacks(execute=True):
        client_on(intake_world.office, intake_world.worker).post(
            f"/intake/{reference}/",
            {
                "action": "forward",
                "office": intake_world.westlands.pk,
                "reason": "Lives in Westlands.",
                "decided_on": today,
            },
        )
    assert _verified(callback, callback_secret)["data"]["status"] == "forwarded"
    with django_capture_on_commit_callbacks(execute=True):
        client_on(intake_world.westlands, intake_world.westlands_worker).post(
            f"/intake/{reference}/",
            {"action": "reject", "reason": "Already known to us.", "decided_on": today},
        )
    document = _verified(callback, callback_secret)
    assert document["data"] == {"reference": reference, "status": "rejected", "occurred_on": today}
    assert "Westlands" not in json.dumps(document)  # the reason stays with us
