"""All routers, aggregated once."""

from fastapi import APIRouter, Depends

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
from app.api.strict import reject_unknown_query

api_router = APIRouter(dependencies=[Depends(reject_unknown_query)])
for module in (health, forecasts, jobs, fits, regions, ingest, releases, hub, evaluations):
    api_router.include_router(module.router)
