"""Screens: court sessions, court orders and summons (named in the cases: namespace)."""

from django.urls import path

from case_apps.cases.views import court

urlpatterns: list = [
    path("court/", court.court_dates, name="court_dates"),
    path("court/orders/", court.court_orders, name="court_orders"),
    path("court/summons/", court.summons_list, name="summons_list"),
    path(
        "<int:case_id>/court-sessions/new/", court.court_session_create, name="court_session_create"
    ),
    path(
        "<int:case_id>/court-orders/<int:order_id>/end/",
        court.court_order_end,
        name="court_order_end",
    ),
    path("<int:case_id>/summons/new/", court.summons_create, name="summons_create"),
    path(
        "<int:case_id>/summons/<int:summons_id>/served/",
        court.summons_serve,
        name="summons_serve",
    ),
    path(
        "<int:case_id>/summons/<int:summons_id>/honoured/",
        court.summons_honour,
        name="summons_honour",
    ),
    path(
        "<int:case_id>/summons/<int:summons_id>/print/",
        court.summons_print,
        name="summons_print",
    ),
]
