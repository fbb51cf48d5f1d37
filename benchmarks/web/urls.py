from django.urls import path

from cadre.urls import urlpatterns as cadre_urlpatterns

from .floor import floor

urlpatterns = [path("_bench/floor/", floor, name="bench-floor"), *cadre_urlpatterns]
