from django.urls import path

from . import views_sessions

app_name = "calendar"

urlpatterns = [
    path("", views_sessions.calendar_page, name="page"),
    path("regenerate/", views_sessions.calendar_regenerate, name="regenerate"),
    path("<str:token>.ics", views_sessions.calendar_feed, name="feed"),
]
