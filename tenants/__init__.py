"""Organisations (tenants), their domains, users, memberships and the access policy."""
