"""The access log kept inside each organisation's schema."""
