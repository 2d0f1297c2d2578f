"""Webhook fan-out: N events emitted to a subscription (several, with --subscriptions), then
delivered to a local stand-in receiver (a process of its own) by worker processes and
threads running the code the Celery task
``webhooks.deliver`` runs (claim, sign, POST, log the attempt). Target (issue 20): 10,000
deliveries drained within a minute, with the delivery log complete (every delivery
succeeded, one attempt each, every delivery id received exactly once).

    .venv/bin/python bench/webhooks.py [--events 10000] [--subscriptions 1]
        [--processes 2] [--threads 16]
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench._setup import setup_django  # noqa: E402

MARK = "bench-webhooks"


def _deliver_in_threads(delivery_ids: list[int], threads: int, deadline: float) -> None:
    """Deliver ``delivery_ids`` with ``threads`` threads (each its own connection)."""
    from django.db import connection

    from webhooks.delivery import delivery_attempt

    lock = threading.Lock()
    queue = list(delivery_ids)

    def work() -> None:
        try:
            while time.monotonic() < deadline:
                with lock:
                    delivery_id = queue.pop() if queue else None
                if delivery_id is None:
                    return
                delivery_attempt(delivery_id)
        finally:
            connection.close()

    running = [threading.Thread(target=work) for _ in range(threads)]
    for thread in running:
        thread.start()
    for thread in running:
        thread.join()


def _drain(processes: int, threads: int, stop_after: float) -> None:
    """Like Celery workers with ``processes`` processes of ``threads`` threads each: the due
    deliveries are shared out among them as a broker would hand out the tasks."""
    from django.db import connections

    from webhooks.delivery import deliveries_due

    deadline = time.monotonic() + stop_after
    while time.monotonic() < deadline:
        due = deliveries_due(limit=1_000_000)
        if not due:
            return
        connections.close_all()  # each forked process opens its own
        children = [
            multiprocessing.Process(
                target=_deliver_in_threads, args=(due[i::processes], threads, deadline)
            )
            for i in range(processes)
        ]
        for child in children:
            child.start()
        for child in children:
            child.join()


def _stand_in(pipe) -> None:
    """The receiver, in a process of its own (not competing with the senders for the GIL):
    sends its URL, then on "stop" the delivery ids it received."""
    from tests.webhooks.standin import StandIn

    receiver = StandIn().start()
    pipe.send(receiver.url)
    pipe.recv()
    receiver.stop()
    pipe.send([r.headers.get("X-Cpims-Delivery") for r in receiver.received])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--subscriptions", type=int, default=1)
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--threads", type=int, default=16)
    args = parser.parse_args()
    os.environ["CPIMS_WEBHOOKS_ALLOW_PRIVATE"] = "1"  # the stand-in listens on 127.0.0.1
    os.environ.pop("REDIS_URL", None)  # tasks go nowhere: the workers below deliver
    setup_django("cpims_bench_webhooks")

    from django.db import transaction

    from cpims.celery import app
    from webhooks.models import DeliveryStatus, WebhookAttempt, WebhookSubscription
    from webhooks.services import subscription_create, webhook_emit

    app.conf.task_always_eager = False  # the after-commit sends stay in memory://
    WebhookSubscription.objects.filter(description=MARK).delete()
    ours, theirs = multiprocessing.Pipe()
    receiver = multiprocessing.Process(target=_stand_in, args=(theirs,), daemon=True)
    receiver.start()
    url = ours.recv()
    try:
        subscriptions = [
            subscription_create(
                organisation=None,
                url=url,
                events=["intake.outcome"],
                created_by=None,
                description=MARK,
            )[0]
            for _ in range(args.subscriptions)
        ]
        started = time.monotonic()
        with transaction.atomic():
            for n in range(args.events):
                webhook_emit(
                    event="intake.outcome",
                    data={"reference": f"BENCH-{n}", "status": "accepted"},
                    subscriptions=subscriptions,
                )
        emitted = time.monotonic() - started
        total = args.events * args.subscriptions
        started = time.monotonic()
        _drain(args.processes, args.threads, stop_after=300)
        drained = time.monotonic() - started
        deliveries = [s.deliveries.all() for s in subscriptions]
        succeeded = sum(d.filter(status=DeliveryStatus.SUCCEEDED).count() for d in deliveries)
        attempts = WebhookAttempt.objects.filter(delivery__subscription__in=subscriptions)
        durations = sorted(attempts.values_list("duration_ms", flat=True))
    finally:
        ours.send("stop")
        received_ids = ours.recv()
        receiver.join()
    print(f"deliveries: {total} ({args.events} events x {args.subscriptions} subscriptions)")
    print(f"emitted in {emitted:.1f} s ({total / emitted:.0f}/s, one transaction)")
    workers = f"{args.processes} processes x {args.threads} threads"
    print(f"drained in {drained:.1f} s by {workers} ({total / drained:.0f}/s)")
    if durations:
        p50 = durations[len(durations) // 2]
        p95 = durations[int(len(durations) * 0.95)]
        print(f"attempt duration: p50 {p50} ms, p95 {p95} ms")
    complete = (
        succeeded == total
        and len(durations) == total
        and len(received_ids) == total
        and len(set(received_ids)) == total
    )
    print(
        f"log: {succeeded} succeeded, {len(durations)} attempts, {len(received_ids)} received "
        f"({len(set(received_ids))} distinct ids): {'complete' if complete else 'INCOMPLETE'}"
    )
    met = drained <= 60 and complete
    print(f"target (drained within 60 s, log complete): {'met' if met else 'MISSED'}")
    WebhookSubscription.objects.filter(description=MARK).delete()
    sys.exit(0 if met else 1)


if __name__ == "__main__":
    main()
