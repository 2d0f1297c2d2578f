from django.urls import path

from case_apps.cases import (
    urls_bursaries,
    urls_court,
    urls_interventions,
    urls_teams,
    views_transfers,
)
from case_apps.cases.views import (
    attachments,
    bursaries,
    case_plans,
    caseload,
    closure,
    follow_ups,
    placements,
    record_sheet,
    referrals,
)

app_name = "cases"
urlpatterns = [
    path("", caseload.caseload, name="caseload"),
    path("new/", record_sheet.case_create, name="create"),
    path("find-child/", record_sheet.find_child, name="find_child"),
    path("<int:case_id>/", caseload.case_detail, name="detail"),
    path("<int:case_id>/edit/", record_sheet.case_edit, name="edit"),
    path("<int:case_id>/follow-ups/new/", follow_ups.follow_up_create, name="follow_up_create"),
    path("<int:case_id>/referrals/new/", referrals.referral_create, name="referral_create"),
    path(
        "<int:case_id>/referrals/<int:referral_id>/outcome/",
        referrals.referral_outcome,
        name="referral_outcome",
    ),
    path("<int:case_id>/placements/new/", placements.placement_create, name="placement_create"),
    path(
        "<int:case_id>/placements/<int:placement_id>/discharge/",
        placements.placement_discharge,
        name="placement_discharge",
    ),
    path("<int:case_id>/plan/new/", case_plans.case_plan_create, name="plan_create"),
    path("<int:case_id>/bursaries/new/", bursaries.bursary_create, name="bursary_create"),
    path("<int:case_id>/closure/", closure.closure_request_create, name="closure_request"),
    path("<int:case_id>/reassign/", closure.case_reassign, name="reassign"),
    path("<int:case_id>/attachments/new/", attachments.attachment_upload, name="attachment_upload"),
    path(
        "<int:case_id>/attachments/<int:attachment_id>/",
        attachments.attachment_download,
        name="attachment_download",
    ),
    path("approvals/", closure.approvals, name="approvals"),
    path("approvals/<int:approval_id>/", closure.approval_decide, name="approval_decide"),
    path("children/<int:person_id>/", caseload.child_detail, name="child"),
    # consent and referral / transfer between organisations (case_apps/cases/views_transfers.py)
    path("<int:case_id>/consents/new/", views_transfers.consent_new, name="consent_new"),
    path(
        "<int:case_id>/consents/<int:consent_id>/change/",
        views_transfers.consent_change,
        name="consent_change",
    ),
    path(
        "<int:case_id>/consents/<int:consent_id>/withdraw/",
        views_transfers.consent_withdraw,
        name="consent_withdraw",
    ),
    path("<int:case_id>/transfers/new/", views_transfers.referral_send, name="referral_send"),
    path(
        "<int:case_id>/transfers/<int:referral_id>/withdraw/",
        views_transfers.referral_withdraw,
        name="referral_withdraw",
    ),
    path("referrals-in/", views_transfers.referrals_in, name="referrals_in"),
    path("referrals-in/<int:referral_id>/", views_transfers.referral_in, name="referral_in"),
    path(
        "referrals-in/<int:referral_id>/accept/",
        views_transfers.referral_in_accept,
        name="referral_in_accept",
    ),
    path(
        "referrals-in/<int:referral_id>/decline/",
        views_transfers.referral_in_decline,
        name="referral_in_decline",
    ),
    path(
        "referrals-in/<int:referral_id>/complete/",
        views_transfers.referral_in_complete,
        name="referral_in_complete",
    ),
    # corrections and removals of records on the case (restated in national figures)
    path(
        "<int:case_id>/follow-ups/<int:follow_up_id>/date/",
        follow_ups.follow_up_date_correct,
        name="follow_up_date_correct",
    ),
    path(
        "<int:case_id>/follow-ups/<int:follow_up_id>/delete/",
        follow_ups.follow_up_delete,
        name="follow_up_delete",
    ),
    path(
        "<int:case_id>/referrals/<int:referral_id>/delete/",
        referrals.referral_delete,
        name="referral_delete",
    ),
    path(
        "<int:case_id>/placements/<int:placement_id>/delete/",
        placements.placement_delete,
        name="placement_delete",
    ),
]
# each subject's screens (its own module, so that subjects grow apart)
urlpatterns += (
    urls_court.urlpatterns
    + urls_interventions.urlpatterns
    + urls_bursaries.urlpatterns
    + urls_teams.urlpatterns
)
