"""Another web process, for tests that need two: reads one JSON command a line on stdin,
answers one JSON line on stdout. Run with ``python -m tests.tenants.second_process`` and
DATABASE_URL naming the test database.

Commands: {"login": user_id, "host": "acme.localhost", "schema": "acme"} signs a client in;
{"get": "/path", "host": ..., "token": "..."} answers {"status": code}.
"""

from __future__ import annotations

import json
import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cpims.settings_test")
    import django

    django.setup()
    from django.test import Client

    from tenants.models import User
    from tenants.services import SESSION_HOST_KEY

    clients: dict[str, Client] = {}
    for line in sys.stdin:
        command = json.loads(line)
        host = command["host"]
        if "login" in command:
            client = Client(HTTP_HOST=host)
            client.raise_request_exception = False
            client.force_login(User.objects.get(pk=command["login"]))
            session = client.session
            session[SESSION_HOST_KEY] = command["schema"]
            session.save()
            clients[host] = client
            answer = {"ok": True}
        else:
            headers = (
                {"HTTP_AUTHORIZATION": f"Bearer {command['token']}"} if "token" in command else {}
            )
            client = Client(HTTP_HOST=host) if "token" in command else clients[host]
            client.raise_request_exception = False
            answer = {"status": client.get(command["get"], **headers).status_code}
        print(json.dumps(answer), flush=True)


if __name__ == "__main__":
    main()
