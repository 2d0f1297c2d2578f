"""Workspace pages: the organisation's own logs and the user's API tokens."""

from django.urls import path

from audit import views

app_name = "audit"
urlpatterns = [
    path("audit/", views.workspace_changes, name="changes"),
    path("audit/access/", views.workspace_access, name="access"),
    path("account/tokens/", views.tokens, name="tokens"),
    path("account/tokens/<int:token_id>/revoke/", views.token_revoke, name="token_revoke"),
]
