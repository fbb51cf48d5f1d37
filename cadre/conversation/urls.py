from django.urls import path

from . import views
from .models import Subject

app_name = "conversation"

# Each kind of item has its conversation page, and a reaction to it, under its own noun.
_NOUNS = {
    Subject.UPDATE: "updates",
    Subject.BLOCKER: "blockers",
    Subject.EXPERIMENT: "experiments",
    Subject.REPORT: "report",
}

urlpatterns = [
    path("", views.feed, name="feed"),
    path("comments/<int:pk>/edit/", views.comment_edit, name="comment_edit"),
    path("comments/<int:pk>/delete/", views.comment_delete, name="comment_delete"),
    path("comments/<int:pk>/react/", views.comment_react, name="comment_react"),
]
for subject, noun in _NOUNS.items():
    urlpatterns += [
        path(f"{noun}/<int:pk>/", views.thread, {"subject": subject}, name=subject.value),
        path(
            f"{noun}/<int:pk>/react/",
            views.react,
            {"subject": subject},
            name=f"{subject.value}_react",
        ),
    ]
