"""Outbound webhooks (issue 20): organisations (and the platform, for intake sources)
subscribe a URL to events; deliveries are signed, retried with backoff through Celery and
kept in a delivery log. See docs/integrations.md, "Outbound webhooks"."""
