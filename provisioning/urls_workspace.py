"""Members and invitations on an organisation's workspace host."""

from django.urls import path

from provisioning import views_workspace as views

app_name = "members"
urlpatterns = [
    path("members/", views.members, name="list"),
    path("members/<int:pk>/roles/", views.member_roles, name="roles"),
    path("members/<int:pk>/revoke/", views.member_revoke, name="revoke"),
    path("members/invitations/<int:pk>/withdraw/", views.invitation_cancel, name="withdraw"),
    path("invitations/<str:token>/", views.accept, name="accept"),
]
