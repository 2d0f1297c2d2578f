"""Institutions: charitable children's institutions and statutory institutions run their
residents from admission to discharge (issue 19)."""
