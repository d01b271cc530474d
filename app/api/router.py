"""All routers, aggregated once."""

from fastapi import APIRouter

from app.api.routes import (
    evaluations,
    fits,
    forecasts,
    health,
    hub,
    ingest,
    jobs,
    regions,
    releases,
)

api_router = APIRouter()
for module in (health, forecasts, jobs, fits, regions, ingest, releases, hub, evaluations):
    api_router.include_router(module.router)
