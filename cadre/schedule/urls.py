from django.urls import path

from . import views
from . import views_sessions as sessions

app_name = "schedule"

urlpatterns = [
    path("", views.schedule_page, name="page"),
    path("edit/", views.schedule_edit, name="edit"),
    path("one-off/", views.one_off_add, name="one_off"),
    path("sessions/<int:session>/absence/", views.absence_toggle, name="absence"),
    path("sessions/<int:session>/cancel/", views.session_cancel, name="cancel"),
    path("slots/", views.slots, name="slots"),
    path("sessions/<int:session>/", sessions.session_detail, name="session"),
    path("sessions/<int:session>.ics", sessions.session_ics, name="session_ics"),
    path("sessions/<int:session>/agenda/", sessions.agenda_edit, name="agenda"),
    path("sessions/<int:session>/agenda/undo/", sessions.agenda_restore, name="agenda_restore"),
    path("sessions/<int:session>/run/", sessions.session_run, name="run"),
    path("sessions/<int:session>/attendance/", sessions.attendance_set, name="attendance"),
    path("sessions/<int:session>/notes/", sessions.note_add, name="note"),
    path("sessions/<int:session>/commitments/", sessions.commitment_add, name="commitment"),
    path("sessions/<int:session>/report/", sessions.report_page, name="report"),
    path("sessions/<int:session>/report/draft/", sessions.report_draft, name="report_draft"),
    path("sessions/<int:session>/report/publish/", sessions.report_publish, name="publish"),
    path("slots/use/", views.slot_use, name="slot_use"),
    path("holidays/", views.holidays, name="holidays"),
    path("holidays/<int:holiday>/remove/", views.holiday_remove, name="holiday_remove"),
    path("sessions/<int:session>/title/", sessions.session_title, name="title"),
    path("sessions/<int:session>/where/", sessions.session_where, name="where"),
    path("sessions/<int:session>/swap/", sessions.swap_ask, name="swap"),
    path("sessions/<int:session>/rsvp/", sessions.session_rsvp, name="rsvp"),
    path("swaps/<int:swap>/", views.swap_answer, name="swap_answer"),
]

rsvp_patterns = ([path("<str:token>/", sessions.rsvp_link, name="link")], "rsvp")
