"""DCS headquarters console pages of governed sharing (``/console/sharing/``)."""

from django.urls import path

from sharing import views, views_vacancies

app_name = "sharing_console"
urlpatterns = [
    path("", views.console_queue, name="queue"),
    path("agreements/", views.console_agreements, name="agreements"),
    path("agreements/<int:agreement_id>/", views.console_agreement, name="agreement"),
    path("access/", views.console_access, name="access"),
    path("vacancies/", views_vacancies.console_vacancies, name="vacancies"),
    path("vacancies/<int:application_id>/", views_vacancies.console_vacancy, name="vacancy"),
]
