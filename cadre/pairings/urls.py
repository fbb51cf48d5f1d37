"""Follow-through on pairings: "did you meet?" under /n/<network>/meetings/ and a mentoring
relationship under /n/<network>/mentoring/."""

from django.urls import path

from . import views

app_name = "pairings"

urlpatterns = [
    path("", views.checks, name="checks"),
    path("<int:check>/answer/", views.answer, name="answer"),
    path("<int:check>/new-partner/", views.new_partner, name="new_partner"),
]

mentoring_patterns = (
    [
        path("<int:match>/", views.relationship, name="relationship"),
        path("<int:match>/agreement/", views.agreement, name="agreement"),
        path("<int:match>/meetings/", views.meeting, name="meeting"),
        path("<int:match>/acknowledge/", views.acknowledge, name="acknowledge"),
        path("<int:match>/rematch/", views.rematch, name="rematch"),
    ],
    "mentoring",
)

link_patterns = ([path("<str:token>/", views.link, name="link")], "meet")
