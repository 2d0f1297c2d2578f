"""django-tenants' backend made safe behind a transaction-pooling PgBouncer (see base.py)."""
