"""Tenant apps: each organisation's own case management, OVC programme and outbox."""
