"""The REST API, version 1 (placeholder: being written)."""

from ninja import NinjaAPI

api = NinjaAPI(title="Cadre API", version="1", urls_namespace="api-1", docs_url="/docs")
