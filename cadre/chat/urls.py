from django.urls import path

from . import views

app_name = "chat"

# Under /n/<network>/settings/chat/ (cadre.urls).
urlpatterns = [
    path("", views.settings_page, name="settings"),
    path("deliveries/", views.deliveries, name="deliveries"),
    path("deliveries/<int:chat_delivery>/retry/", views.retry, name="retry"),
    path("slack/connect/", views.slack_connect, name="slack_connect"),
    path("slack/disconnect/", views.slack_disconnect, name="slack_disconnect"),
    path("c/<slug:cohort>/", views.cohort_channel, name="cohort"),
    path("c/<slug:cohort>/test/", views.cohort_test, name="test"),
]
