from django.urls import path

from . import views

app_name = "schedule"

urlpatterns = [
    path("", views.schedule_page, name="page"),
    path("edit/", views.schedule_edit, name="edit"),
    path("one-off/", views.one_off_add, name="one_off"),
    path("sessions/<int:session>/absence/", views.absence_toggle, name="absence"),
    path("sessions/<int:session>/cancel/", views.session_cancel, name="cancel"),
    path("slots/", views.slots, name="slots"),
    path("slots/use/", views.slot_use, name="slot_use"),
]
