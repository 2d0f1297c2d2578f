from django.urls import path

from case_apps.cases import views

app_name = "cases"
urlpatterns = [
    path("", views.caseload, name="caseload"),
    path("new/", views.case_create, name="create"),
    path("find-child/", views.find_child, name="find_child"),
    path("<int:case_id>/", views.case_detail, name="detail"),
    path("<int:case_id>/edit/", views.case_edit, name="edit"),
    path("<int:case_id>/follow-ups/new/", views.follow_up_create, name="follow_up_create"),
    path("<int:case_id>/referrals/new/", views.referral_create, name="referral_create"),
    path(
        "<int:case_id>/referrals/<int:referral_id>/outcome/",
        views.referral_outcome,
        name="referral_outcome",
    ),
    path("<int:case_id>/placements/new/", views.placement_create, name="placement_create"),
    path(
        "<int:case_id>/placements/<int:placement_id>/discharge/",
        views.placement_discharge,
        name="placement_discharge",
    ),
    path("<int:case_id>/plan/new/", views.case_plan_create, name="plan_create"),
    path("<int:case_id>/bursaries/new/", views.bursary_create, name="bursary_create"),
    path("<int:case_id>/closure/", views.closure_request_create, name="closure_request"),
    path("<int:case_id>/reassign/", views.case_reassign, name="reassign"),
    path("<int:case_id>/attachments/new/", views.attachment_upload, name="attachment_upload"),
    path(
        "<int:case_id>/attachments/<int:attachment_id>/",
        views.attachment_download,
        name="attachment_download",
    ),
    path("approvals/", views.approvals, name="approvals"),
    path("approvals/<int:approval_id>/", views.approval_decide, name="approval_decide"),
    path("children/<int:person_id>/", views.child_detail, name="child"),
]
