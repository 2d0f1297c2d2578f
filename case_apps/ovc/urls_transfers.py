"""OVC screens: transfers between partners (issue 18), added to case_apps/ovc/urls.py."""

from django.urls import path

from case_apps.ovc import views_transfers

urlpatterns: list = [
    path("transfers/", views_transfers.transfer_list, name="transfers"),
    path("transfers/<int:transfer_id>/", views_transfers.transfer_detail, name="transfer"),
    path(
        "transfers/<int:transfer_id>/accept/",
        views_transfers.transfer_accept,
        name="transfer_accept",
    ),
    path(
        "transfers/<int:transfer_id>/decline/",
        views_transfers.transfer_decline,
        name="transfer_decline",
    ),
    path(
        "transfers/<int:transfer_id>/withdraw/",
        views_transfers.transfer_withdraw,
        name="transfer_withdraw",
    ),
]
