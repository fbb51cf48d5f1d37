"""Pages under /n/<network>/journal/."""

from django.urls import path

from . import views

app_name = "journal"

urlpatterns = [
    path("", views.network_journal, name="list"),
    path("mine/", views.mine, name="mine"),
    path("new/", views.entry_new, name="new"),
    path("tags/<slug:tag>/", views.tag_page, name="tag"),
    path("<int:pk>/", views.entry_detail, name="entry"),
    path("<int:pk>/edit/", views.entry_edit, name="edit"),
    path("<int:pk>/delete/", views.entry_delete, name="delete"),
]
