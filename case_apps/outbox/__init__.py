"""The organisation's outbox: events that national statistics drain into de-identified facts."""
