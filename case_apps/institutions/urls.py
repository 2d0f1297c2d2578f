from case_apps.institutions import urls_admissions, urls_life, urls_residents, urls_vacancies

app_name = "institutions"
urlpatterns = (
    urls_admissions.urlpatterns
    + urls_residents.urlpatterns
    + urls_life.urlpatterns
    + urls_vacancies.urlpatterns
)
