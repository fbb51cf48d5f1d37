from django.urls import path

from . import views

app_name = "people"

urlpatterns = [
    path("profile/", views.profile_edit, name="profile_edit"),
    path("tokens/", views.tokens, name="tokens"),
    path("tokens/<int:pk>/revoke/", views.token_revoke, name="token_revoke"),
]
