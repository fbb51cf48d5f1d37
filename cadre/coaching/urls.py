"""Pages under /n/<network>/c/<cohort>/coaching/ (beside the rotation's pages, which own ""
and "plan/")."""

from django.urls import path

from . import views

app_name = "peer_coaching"

urlpatterns = [
    path("sessions/", views.session_list, name="sessions"),
    path("sessions/new/", views.session_new, name="session_new"),
    path("sessions/<int:pk>/", views.session_detail, name="session"),
    path("sessions/<int:pk>/commitment/", views.session_commitment, name="session_commitment"),
    path("reciprocity/", views.reciprocity_page, name="reciprocity"),
    path("prompts/", views.prompts, name="prompts"),
    path("prompts/<int:pk>/", views.prompt_edit, name="prompt_edit"),
    path("feedback/", views.feedback_received, name="feedback"),
    path("feedback/given/", views.feedback_given, name="feedback_given"),
    path("feedback/new/", views.feedback_new, name="feedback_new"),
    path("feedback/check/", views.feedback_check, name="feedback_check"),
    path("feedback/<int:pk>/visibility/", views.feedback_visibility, name="feedback_visibility"),
]
