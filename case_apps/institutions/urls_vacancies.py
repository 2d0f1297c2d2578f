"""Vacancy screens of the workspaces (issue 19, point 5), added to
case_apps/institutions/urls.py: the office's applications, the institution's expected
admissions."""

from django.urls import path

from case_apps.institutions import views_vacancies

urlpatterns: list = [
    path("vacancies/", views_vacancies.vacancies, name="vacancies"),
    path("vacancies/expected/", views_vacancies.vacancies_expected, name="vacancies_expected"),
    path("vacancies/apply/<int:case_id>/", views_vacancies.vacancy_apply, name="vacancy_apply"),
    path("vacancies/<int:application_id>/", views_vacancies.vacancy_detail, name="vacancy"),
    path(
        "vacancies/<int:application_id>/withdraw/",
        views_vacancies.vacancy_withdraw,
        name="vacancy_withdraw",
    ),
    path(
        "vacancies/<int:application_id>/admit/",
        views_vacancies.vacancy_admit,
        name="vacancy_admit",
    ),
]
