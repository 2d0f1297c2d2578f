"""Workspace pages of governed sharing (``/sharing/`` on an organisation's host)."""

from django.urls import path

from sharing import views

app_name = "sharing"
urlpatterns = [
    path("", views.agreements, name="agreements"),
    path("requests/new/", views.agreement_new, name="request"),
    path("<int:agreement_id>/", views.agreement_detail, name="agreement"),
    path("<int:agreement_id>/<str:action>/", views.agreement_action, name="action"),
    path("children/<int:person_id>/", views.shared_child, name="child"),
    path("services/", views.services_offered, name="services"),
]
