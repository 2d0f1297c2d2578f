"""Institution screens: admissions (issue 19), added to case_apps/institutions/urls.py."""

urlpatterns: list = []
