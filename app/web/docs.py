"""``/docs`` (Swagger UI) and ``/redoc`` from vendored files: the API docs work offline.

FastAPI's "self-hosting JavaScript and CSS for docs" recipe: the app is created with
``docs_url=None, redoc_url=None`` and these routes serve the same pages pointing at
``/static/vendor/`` (swagger-ui-dist 5 and redoc 2 from npm, licences beside them). No CDN,
no Google Fonts, no favicon from elsewhere, no online validator.
"""

from fastapi import FastAPI
from fastapi.openapi.docs import (
    get_redoc_html,
    get_swagger_ui_html,
    get_swagger_ui_oauth2_redirect_html,
)
from starlette.requests import Request
from starlette.responses import HTMLResponse

VENDOR = "/static/vendor"
NO_FAVICON = "data:,"  # as the site's pages: the browser asks nobody for an icon


def install_docs(app: FastAPI) -> None:
    """Swagger UI at ``/docs`` (and its OAuth2 redirect page) and ReDoc at ``/redoc``."""
    openapi_url = app.openapi_url or "/openapi.json"
    redirect_url = app.swagger_ui_oauth2_redirect_url or "/docs/oauth2-redirect"
    title = app.title

    @app.get("/docs", include_in_schema=False)
    def swagger_ui(request: Request) -> HTMLResponse:
        root = request.scope.get("root_path", "").rstrip("/")
        return get_swagger_ui_html(
            openapi_url=root + openapi_url,
            title=f"{title} · API",
            swagger_js_url=f"{root}{VENDOR}/swagger-ui-bundle.js",
            swagger_css_url=f"{root}{VENDOR}/swagger-ui.css",
            swagger_favicon_url=NO_FAVICON,
            oauth2_redirect_url=root + redirect_url,
            init_oauth=app.swagger_ui_init_oauth,
            swagger_ui_parameters={**(app.swagger_ui_parameters or {}), "validatorUrl": None},
        )

    @app.get(redirect_url, include_in_schema=False)
    def swagger_ui_redirect() -> HTMLResponse:
        return get_swagger_ui_oauth2_redirect_html()

    @app.get("/redoc", include_in_schema=False)
    def redoc(request: Request) -> HTMLResponse:
        root = request.scope.get("root_path", "").rstrip("/")
        return get_redoc_html(
            openapi_url=root + openapi_url,
            title=f"{title} · API reference",
            redoc_js_url=f"{root}{VENDOR}/redoc.standalone.js",
            redoc_favicon_url=NO_FAVICON,
            with_google_fonts=False,
        )
