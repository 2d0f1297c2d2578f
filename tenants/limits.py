"""Length limits for free text, shared by models, forms and the API (docs/security.md)."""

NARRATIVE_MAX_LENGTH = 20_000  # a case narrative: about eight typed pages
NOTES_MAX_LENGTH = 5_000  # notes, reasons, purposes, outcomes: about two pages
