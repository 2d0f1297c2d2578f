from django.urls import path

from case_apps.family_care import views, views_discharge

app_name = "family_care"
urlpatterns = [
    path("", views.care_list, name="list"),
    path("<int:care_id>/", views.care_detail, name="care"),
    path("case/<int:case_id>/add/", views.care_add, name="care_add"),
    path("<int:care_id>/carers/find/", views.carer_find, name="carer_find"),
    path("<int:care_id>/carers/add/", views.carer_add, name="carer_add"),
    path("<int:care_id>/carers/<int:carer_id>/remove/", views.carer_remove, name="carer_remove"),
    path("<int:care_id>/follow-ups/add/", views.follow_up_add, name="follow_up_add"),
    path("<int:care_id>/end/", views.care_end, name="care_end"),
    path(
        "from-admission/<int:admission_id>/",
        views_discharge.discharge_to_care,
        name="discharge_to_care",
    ),
]
