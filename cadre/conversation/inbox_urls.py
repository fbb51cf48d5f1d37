from django.urls import path

from . import views

app_name = "inbox"

urlpatterns = [
    path("", views.inbox, name="list"),
    path("read/", views.inbox_read_all, name="read_all"),
    path("<int:pk>/read/", views.inbox_read, name="read"),
]
