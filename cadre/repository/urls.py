"""Pages under /n/<network>/library/."""

from django.urls import path

from . import search_views, views

app_name = "repository"

urlpatterns = [
    path("", views.item_list, name="list"),
    path("new/", views.item_new, name="new"),
    path("<int:pk>/", views.item_detail, name="item"),
    path("<int:pk>/edit/", views.item_edit, name="edit"),
    path("<int:pk>/delete/", views.item_delete, name="delete"),
    path("<int:pk>/reuse/", views.reuse, name="reuse"),
    path("<int:pk>/reuse/undo/", views.reuse_undo, name="reuse_undo"),
    path("<int:pk>/copy/", views.copy_template, name="copy"),
    path("promote/experiment/<int:pk>/", views.promote_experiment, name="promote_experiment"),
    path("promote/report/<int:pk>/", views.promote_report, name="promote_report"),
    path("partners/", views.partner_groups, name="partners"),
    path("partners/<int:pk>/", views.partner_group_edit, name="partner"),
    path("search/", search_views.search, name="search"),
]
