from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from cadre import views
from cadre.api.api import api
from cadre.pairings import urls as pairings_urls
from cadre.people import views as people_views
from cadre.reminders import views as reminders
from cadre.schedule import urls as schedule_urls

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("markdown/preview/", views.markdown_preview, name="markdown_preview"),
    path("admin/", admin.site.urls),  # Cadre's admin site (cadre.accounts.sites)
    path("accounts/", include("cadre.sso.saml_urls")),  # before allauth's: single logout
    path("accounts/", include("allauth.urls")),
    path("api/", api.urls),
    path("me/notifications/", reminders.preferences, name="notifications"),
    path("me/tokens/", include("cadre.api.urls")),
    path("me/inbox/", include("cadre.conversation.inbox_urls")),
    path("me/", include("cadre.people.urls")),
    path("avatars/<int:user_id>/", people_views.avatar, name="avatar"),
    path("language/", people_views.choose_language, name="language"),  # the footer's switcher
    path("reminders/", include("cadre.reminders.urls")),
    path("sso/", include("cadre.sso.entry_urls")),
    path("n/<slug:network>/settings/sso/", include("cadre.sso.urls")),
    path("n/<slug:network>/", include("cadre.networks.urls")),
    path("n/<slug:network>/c/", include("cadre.cohorts.urls")),
    path("n/<slug:network>/intakes/", include("cadre.formation.urls")),
    path("n/<slug:network>/c/<slug:cohort>/coaching/", include("cadre.rotations.cohort_urls")),
    path("n/<slug:network>/c/<slug:cohort>/coaching/", include("cadre.coaching.urls")),
    path("n/<slug:network>/c/<slug:cohort>/skills/", include("cadre.diagnostics.urls")),
    path("n/<slug:network>/c/<slug:cohort>/export/", include("cadre.transfer.urls")),
    path("n/<slug:network>/c/<slug:cohort>/impact/", include("cadre.impact.urls")),
    path("n/<slug:network>/c/<slug:cohort>/", include("cadre.formation.cohort_urls")),
    path("n/<slug:network>/journal/", include("cadre.journal.urls")),
    path("n/<slug:network>/library/", include("cadre.repository.urls")),
    path("n/<slug:network>/programmes/", include("cadre.programmes.urls")),
    path("n/<slug:network>/metrics/", include("cadre.metrics.urls")),
    path("n/<slug:network>/c/<slug:cohort>/metrics/", include("cadre.metrics.cohort_urls")),
    path("n/<slug:network>/health/", include("cadre.health.urls")),
    path("n/<slug:network>/settings/webhooks/", include("cadre.webhooks.urls")),
    path("n/<slug:network>/settings/chat/", include("cadre.chat.urls")),
    path("chat/slack/", include("cadre.chat.slack_urls")),
    path("n/<slug:network>/coffee/", include("cadre.rotations.urls")),
    path("n/<slug:network>/c/<slug:cohort>/schedule/", include("cadre.schedule.urls")),
    path("n/<slug:network>/c/<slug:cohort>/board/", include("cadre.accountability.urls")),
    path("n/<slug:network>/c/<slug:cohort>/activity/", include("cadre.conversation.urls")),
    path("n/<slug:network>/mentors/", include("cadre.schedule.mentor_urls")),
    path("n/<slug:network>/mentoring/", include(pairings_urls.mentoring_patterns)),
    path("n/<slug:network>/meetings/", include("cadre.pairings.urls")),
    path("meet/", include(pairings_urls.link_patterns)),
    path("rsvp/", include(schedule_urls.rsvp_patterns)),
    path("calendar/", include("cadre.schedule.calendar_urls")),
    path("invitations/", include("cadre.networks.invitation_urls")),
]

if settings.CADRE_DEBUG_TOOLBAR:  # DEBUG on and django-debug-toolbar installed (settings.py)
    from debug_toolbar.toolbar import debug_toolbar_urls

    urlpatterns += debug_toolbar_urls()

# Cadre's own error pages (DEBUG off); the API keeps its JSON errors.
handler400 = views.bad_request
handler403 = views.permission_denied
handler404 = views.page_not_found
handler500 = views.server_error
