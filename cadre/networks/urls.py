from django.urls import path

from . import views

app_name = "networks"

urlpatterns = [
    path("", views.network_home, name="home"),
    path("people/", views.directory, name="directory"),
    path("people/<int:user_id>/", views.person, name="person"),
    path("conduct/", views.conduct, name="conduct"),
    path("invitations/", views.invitations, name="invitations"),
    path("invitations/<int:pk>/revoke/", views.invitation_revoke, name="invitation_revoke"),
]
