"""Platform-level Celery tasks."""

from celery import shared_task

from tenants.schema import current_schema_name


@shared_task(name="cpims.ping")
def ping() -> str:
    """Answer with the schema the task ran in: proves a worker routes tasks to their tenant."""
    return current_schema_name()


FAULT_PROBE_PREFIX = "cpims:fault-probe:"


@shared_task(name="cpims.fault_probe")
def fault_probe(key: str, seconds: float = 0.0) -> int:
    """The fault drills' task (deploy/faults/): notes each attempt, works ``seconds``, then
    does its one effect once however often it runs (the idempotency acks_late needs)."""
    import os
    import time

    store = _probe_store()
    _while_store_restarts(lambda: store.rpush(f"{FAULT_PROBE_PREFIX}{key}:attempts", os.getpid()))
    time.sleep(seconds)
    if _while_store_restarts(
        lambda: store.set(f"{FAULT_PROBE_PREFIX}{key}:done", os.getpid(), nx=True)
    ):
        _while_store_restarts(lambda: store.incr(f"{FAULT_PROBE_PREFIX}{key}:effects"))
    return int(_while_store_restarts(lambda: store.get(f"{FAULT_PROBE_PREFIX}{key}:effects")) or 0)


def _probe_store():
    import redis
    from django.conf import settings

    return redis.Redis.from_url(settings.REDIS_URL)


def _while_store_restarts(operation, seconds: float = 60.0):
    """Run a Redis operation, again every half second while Redis is restarting."""
    import time

    import redis

    deadline = time.monotonic() + seconds
    while True:
        try:
            return operation()
        except redis.ConnectionError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)
