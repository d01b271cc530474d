"""All routers, aggregated once."""

from fastapi import APIRouter

from app.api.routes import health, ingest, regions, releases

api_router = APIRouter()
for module in (health, regions, ingest, releases):
    api_router.include_router(module.router)
