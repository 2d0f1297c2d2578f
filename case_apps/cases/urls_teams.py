"""Screens: teams: who supervises whom (named in the cases: namespace)."""

from django.urls import path

from case_apps.cases.views import teams

urlpatterns: list = [
    path("team/", teams.team, name="team"),
    path(
        "team/supervisions/<int:supervision_id>/remove/",
        teams.supervision_remove,
        name="supervision_remove",
    ),
]
