from django.urls import path

from .views import cases, home, intake, records

app_name = "web"
urlpatterns = [
    path("", home.home, name="home"),
    path("search/", home.search, name="search"),
    path("agency/", home.choose_agency, name="choose_agency"),
    path("cases/new/", intake.intake, name="intake"),
    path("cases/new/matches/", intake.possible_matches, name="intake_matches"),
    path("cases/<str:reference>/", cases.case_detail, name="case"),
    path("cases/<str:reference>/timeline/", cases.timeline, name="timeline"),
    path("cases/<str:reference>/agencies/", cases.agency_add, name="agency_add"),
    path("cases/<str:reference>/agencies/<int:involvement_id>/end/", cases.agency_end, name="agency_end"),
    path("cases/<str:reference>/people/new/", cases.person_add, name="person_add"),
    path("cases/<str:reference>/close/", cases.case_close, name="case_close"),
    path("cases/<str:reference>/reopen/", cases.case_reopen, name="case_reopen"),
    path("cases/<str:reference>/incidents/new/", records.incident_add, name="incident_add"),
    path("cases/<str:reference>/incidents/<int:incident_id>/", records.incident_edit, name="incident_edit"),
    path("cases/<str:reference>/needs/new/", records.need_add, name="need_add"),
    path("cases/<str:reference>/needs/<int:need_id>/", records.need_edit, name="need_edit"),
]
