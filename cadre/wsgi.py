"""Cadre's WSGI application. `application` applies the trusted-proxy settings itself under
gunicorn or any other server, and steps aside under waitress (`cadre serve`), which applies
them before calling it (cadre/lib/proxy.py)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cadre.settings")
django_application = get_wsgi_application()

from cadre.lib.proxy import behind_trusted_proxy, trusted_proxy_options  # noqa: E402 (settings)

application = behind_trusted_proxy(django_application, **trusted_proxy_options())
