"""Workspace pages of governed sharing (``/sharing/`` on an organisation's host)."""

from django.urls import path

from sharing import views, views_access_drafts

app_name = "sharing"
urlpatterns = [
    path("", views.agreements, name="agreements"),
    path("requests/new/", views.agreement_new, name="request"),
    path("access-requests/", views_access_drafts.access_requests, name="access_requests"),
    path(
        "access-requests/new/",
        views_access_drafts.access_request_new,
        name="access_request_new",
    ),
    path("<int:agreement_id>/", views.agreement_detail, name="agreement"),
    path("<int:agreement_id>/<str:action>/", views.agreement_action, name="action"),
    path("children/<int:person_id>/", views.shared_child, name="child"),
    path("services/", views.services_offered, name="services"),
]
