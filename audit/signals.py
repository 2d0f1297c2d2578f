from django.contrib.auth.signals import user_login_failed  # noqa: F401
