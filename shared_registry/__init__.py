"""National reference data in the public schema: geography, facilities, schools and the
person registry with its matching (issue 4)."""
