"""Registry screens in an organisation's workspace (mounted at /registry/)."""

from django.urls import path

from shared_registry import views

app_name = "registry"
urlpatterns = [
    path("", views.workspace_search, name="search"),
    path("register/", views.workspace_register, name="register"),
    path("persons/<str:cpims_id>/", views.workspace_person, name="person"),
]
