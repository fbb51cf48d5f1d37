from django.urls import path

from . import slack_views, views

app_name = "slack"

# Under /chat/slack/ (cadre.urls): Slack's requests, signed, and the OAuth return.
urlpatterns = [
    path("commands/", slack_views.command, name="commands"),
    path("interactivity/", slack_views.interactivity, name="interactivity"),
    path("events/", slack_views.events, name="events"),
    path("oauth/", views.slack_callback, name="callback"),
]
