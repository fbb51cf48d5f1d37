"""Pages under /n/<network>/programmes/."""

from django.urls import path

from . import views

app_name = "programmes"

urlpatterns = [
    path("", views.programme_list, name="list"),
    path("import/", views.programme_import, name="import"),
    path("shipped/", views.programme_add_shipped, name="add_shipped"),
    path("<int:programme>/", views.programme_detail, name="detail"),
    path("<int:programme>/export/", views.programme_export, name="export"),
    path("<int:programme>/apply/", views.programme_apply, name="apply"),
]
