"""Institution screens: residents register, capacity, population, morning lists (issue 19),
added to case_apps/institutions/urls.py."""

from django.urls import path

from case_apps.institutions import views_residents

urlpatterns: list = [
    path("", views_residents.residents, name="residents"),
    path("places/", views_residents.capacity, name="capacity"),
    path("today/", views_residents.today, name="today"),
]
