"""Audit and access logs, their viewers and verification."""
