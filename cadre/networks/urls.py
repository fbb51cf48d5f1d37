from django.urls import path

from . import views, views_admin

app_name = "networks"

urlpatterns = [
    path("", views.network_home, name="home"),
    path("people/", views.directory, name="directory"),
    path("people/<int:user_id>/", views.person, name="person"),
    path("conduct/", views.conduct, name="conduct"),
    path("invitations/", views.invitations, name="invitations"),
    path("invitations/<int:pk>/revoke/", views.invitation_revoke, name="invitation_revoke"),
    path("invitations/bulk/", views_admin.invitations_bulk, name="invitations_bulk"),
    path("settings/", views_admin.network_settings, name="settings"),
    path("settings/skills/", views_admin.skills, name="skills"),
    path("settings/skills/<int:skill>/", views_admin.skill_edit, name="skill_edit"),
    path("settings/skills/<int:skill>/retire/", views_admin.skill_retire, name="skill_retire"),
    path("settings/skills/<int:skill>/merge/", views_admin.skill_merge, name="skill_merge"),
]
