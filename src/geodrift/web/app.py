"""The FastAPI application: /api/v1 (JSON, OpenAPI at /api/v1/openapi.json), the dashboard, local assets.

Errors always come back as {"error": {"status", "code", "message"}} with the right status: 400 for a
bad value the analytics reject, 401/403 for keys, 404, 422 for malformed parameters, 503 when the
store cannot answer. Nothing secret is logged: keys travel in a header and only hashes are kept.
"""

from __future__ import annotations

import socket
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path
from typing import Any

import anyio
import jinja2
import uvicorn
from fastapi import FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from geodrift.config import Settings
from geodrift.errors import GeodriftError, InputError
from geodrift.store import Store
from geodrift.web.cache import ResponseCache
from geodrift.web.config import ServeSettings
from geodrift.web.deps import ServerState
from geodrift.web.heavy import heavy_slots
from geodrift.web.routes import alerts, analytics, clusters, events, forecasts, pages, quality, reports, write

CODES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found", 405: "method_not_allowed",
         422: "invalid_parameters", 500: "internal_error", 503: "unavailable"}


def error(status: int, message: str, details: Any = None) -> JSONResponse:
    body: dict[str, Any] = {"status": status, "code": CODES.get(status, "error"), "message": message}
    if details is not None:
        body["details"] = details
    return JSONResponse({"error": body}, status_code=status)


def app_from_env() -> FastAPI:
    """The app for uvicorn worker processes (``geodrift serve --workers N``): settings from GEODRIFT_* variables."""
    return create_app(ServeSettings.from_settings(Settings.from_env()))


def create_app(settings: ServeSettings, store: Store | None = None) -> FastAPI:
    """The app over ``settings.db`` (or an already open ``store``, for tests)."""
    store = store or Store(settings.db, read_only=settings.read_only, memory_limit=settings.memory_limit,
                           threads=settings.threads, upgrade=False)  # read-only means no write: the operator upgrades
    work = Path(tempfile.mkdtemp(prefix="geodrift-web-"))
    app = FastAPI(title="geodrift", version="1", description="Evidence-first geopolitical event intelligence.",
                  openapi_url="/api/v1/openapi.json", docs_url="/api/v1/docs", redoc_url=None)
    app.state.store = store
    app.state.server = ServerState(store=store, settings=settings, work=work,
                                   cache=ResponseCache(settings.cache_size, settings.cache_bytes),
                                   reads=anyio.CapacityLimiter(settings.threads))
    app.state.heavy = heavy_slots(settings.threads)  # analyses and briefings: web/heavy.py
    app.state.lookups = anyio.CapacityLimiter(max(settings.threads, 1))  # their cache look-ups
    if settings.cors_origins:
        app.add_middleware(CORSMiddleware, allow_origins=list(settings.cors_origins), allow_methods=["GET", "POST"],
                           allow_headers=["X-API-Key", "Content-Type"])

    error_pages = jinja2.Environment(loader=jinja2.PackageLoader("geodrift.web", "templates"), autoescape=True)

    def reply(request: Request, status: int, message: str, details: Any = None) -> Response:
        """JSON for the API, an HTML page for the dashboard."""
        if request.url.path.startswith("/api/"):
            return error(status, message, details)
        html = error_pages.get_template("error.html.j2").render(title=f"{status}: {CODES.get(status, 'error')}",
                                                           message=message)
        return HTMLResponse(html, status_code=status)

    @app.exception_handler(InputError)
    def bad_input(request: Request, exc: InputError) -> Response:
        return reply(request, 400, str(exc))

    @app.exception_handler(GeodriftError)
    def store_error(request: Request, exc: GeodriftError) -> Response:
        return reply(request, 503, str(exc))

    @app.exception_handler(StarletteHTTPException)
    def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        response = reply(request, exc.status_code, str(exc.detail))
        response.headers.update(exc.headers or {})  # Retry-After of a full queue (web/heavy.py)
        return response

    @app.exception_handler(RequestValidationError)
    def invalid(request: Request, exc: RequestValidationError) -> Response:
        details = [{"where": ".".join(str(p) for p in e.get("loc", ())), "problem": e.get("msg", "")}
                   for e in exc.errors()]
        return reply(request, 422, "; ".join(f"{d['where']}: {d['problem']}" for d in details), details)

    for routes in (events, clusters, analytics, reports, forecasts, write, quality):
        app.include_router(routes.router)
    static = resources.files("geodrift.web").joinpath("static")
    app.mount("/static", StaticFiles(directory=str(static)), name="static")
    plotly_js = Path(str(resources.files("plotly").joinpath("package_data", "plotly.min.js")))

    @app.get("/vendor/plotly.min.js", include_in_schema=False)
    def plotly() -> FileResponse:
        return FileResponse(plotly_js, media_type="text/javascript", headers={"Cache-Control": "max-age=86400"})

    app.include_router(pages.router)
    app.include_router(alerts.router)
    return app


@contextmanager
def running(app: FastAPI) -> Iterator[str]:
    """Run ``app`` with uvicorn on a free loopback port in a thread (tests, benchmarks, notebooks); yields its URL."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    instance = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=instance.run, daemon=True)
    thread.start()
    for _ in range(100):
        if instance.started:
            break
        time.sleep(0.1)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        instance.should_exit = True
        thread.join(timeout=10)
