from django.urls import path

from case_apps.lists import views

app_name = "lists"
urlpatterns = [
    path("", views.list_items, name="items"),
    path("new/", views.list_item_edit, name="create"),
    path("<int:item_id>/", views.list_item_edit, name="edit"),
]
