import pytest
from django.core.files.uploadedfile import SimpleUploadedFile


@pytest.fixture(autouse=True)
def _geography(kenya_geography):
    """Sign-up chooses its county and sub-county from the real lists."""


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def certificate(
    name: str = "certificate.pdf", content: bytes = b"%PDF-1.4\n% test\n"
) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def signup_data(**overrides) -> dict:
    data = {
        "name": "Upendo Children's Home",
        "kind": "cci",
        "registration_number": "CCI/NRB/0099",
        "county_code": "047",
        "sub_county_code": "290",
        "physical_address": "Plot 12, Kasarani Road, Nairobi",
        "contact_person": "Grace Wanjiru",
        "contact_phone": "0712 345678",
        "slug": "upendo",
        "full_name": "Grace Wanjiru",
        "email": "grace@upendo.test",
        "password1": "a-long-safe-passphrase",
        "password2": "a-long-safe-passphrase",
        "certificate": certificate(),
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


@pytest.fixture(autouse=True)
def _provisioning_in_process():
    """Queued provisioning runs in-process in these tests, even when REDIS_URL points the
    Celery app at a real broker (tests/cpims/test_celery.py covers the worker path)."""
    from cpims.celery import app

    before = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = before
