from django.urls import path

from .views import cases, consent, home, intake, records

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
    path("cases/<str:reference>/consent/new/", consent.consent_add, name="consent_add"),
    path("cases/<str:reference>/overrides/new/", consent.override_add, name="override_add"),
    path("cases/<str:reference>/overrides/<int:override_id>/end/", consent.override_end, name="override_end"),
    path("cases/<str:reference>/protected/share/", consent.protected_grant_add, name="protected_grant_add"),
    path("cases/<str:reference>/protected/<int:grant_id>/end/", consent.protected_grant_end,
         name="protected_grant_end"),
    path("cases/<str:reference>/locations/new/", consent.location_add, name="location_add"),
    path("cases/<str:reference>/restriction/", consent.restriction, name="restriction"),
    path("cases/<str:reference>/conflict/", consent.conflict_declare, name="conflict_declare"),
    path("cases/<str:reference>/seen-by/", cases.who_has_seen, name="who_has_seen"),
    path("overrides/", consent.overrides_review, name="overrides"),
]
