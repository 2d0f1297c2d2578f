"""Statutory institution vacancies: a children officer applies, DCS headquarters confirms or
declines, the institution expects the child (issue 19)."""
