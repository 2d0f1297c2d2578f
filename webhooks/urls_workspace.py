"""An organisation's webhooks (``/organisation/webhooks/`` on its host)."""

from django.urls import path

from webhooks import views

app_name = "webhooks"
urlpatterns = [
    path("", views.subscription_list, name="list"),
    path("new/", views.subscription_new, name="new"),
    path("<int:subscription_id>/", views.subscription_detail, name="detail"),
    path(
        "<int:subscription_id>/<str:action>/",
        views.subscription_action,
        name="action",
    ),
    path("deliveries/<int:delivery_id>/", views.delivery_detail, name="delivery"),
    path("deliveries/<int:delivery_id>/replay/", views.delivery_replay, name="replay"),
]
