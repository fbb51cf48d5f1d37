from django.urls import path

from . import views

app_name = "webhooks"

urlpatterns = [
    path("", views.endpoints, name="endpoints"),
    path("<int:endpoint>/", views.endpoint, name="endpoint"),
    path("<int:endpoint>/rotate/", views.rotate, name="rotate"),
    path("<int:endpoint>/delete/", views.delete, name="delete"),
    path("<int:endpoint>/test/", views.send_test, name="test"),
    path("<int:endpoint>/deliveries/<int:delivery>/retry/", views.retry, name="retry"),
]
