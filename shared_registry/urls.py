"""Registry screens on the platform site (mounted at /registry/)."""

from django.urls import path

from shared_registry import views

app_name = "registry"
urlpatterns = [
    path("", views.platform_search, name="search"),
    path("register/", views.platform_register, name="register"),
    path("persons/<str:cpims_id>/", views.platform_person, name="person"),
    path("duplicates/", views.duplicates, name="duplicates"),
    path("duplicates/<int:pk>/", views.duplicate_decide, name="duplicate_decide"),
    path("merges/", views.merges, name="merges"),
    path("directory/", views.directory, name="directory"),
    path("merges/<int:pk>/undo/", views.merge_undo, name="merge_undo"),
]
