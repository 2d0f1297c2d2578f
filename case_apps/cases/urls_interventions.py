"""Screens: interventions, closure and reopening (named in the cases: namespace)."""

from django.urls import path

from case_apps.cases.views import interventions

urlpatterns: list = [
    path(
        "<int:case_id>/interventions/new/",
        interventions.intervention_create,
        name="intervention_create",
    ),
    path(
        "<int:case_id>/interventions/<int:intervention_id>/remove/",
        interventions.intervention_remove,
        name="intervention_remove",
    ),
    path(
        "<int:case_id>/reopening/",
        interventions.reopening_request_create,
        name="reopening_request",
    ),
]
