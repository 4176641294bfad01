# geodrift as a service: `geodrift watch --serve` updates the store every 15 minutes (GDELT, feeds, forecasts,
# today's briefing, alerts) and serves the dashboard and API from the same process, which owns the store (DuckDB
# allows one writing process). The store, its briefings, caches, status file and an optional geodrift.toml live
# on the /data volume.
#
#   docker build -t geodrift .
#   docker run -d --name geodrift -p 8000:8000 -v geodrift-data:/data geodrift
#   docker cp geodrift.toml geodrift:/data/geodrift.toml     # feeds, schedule, alerts (docs/service.md)
#   docker exec geodrift geodrift status
#
# Written without a Docker engine at hand (the development sandbox has none): not yet built or run.

FROM python:3.11-slim-bookworm AS build
WORKDIR /src
COPY pyproject.toml README.md ./
COPY src ./src
RUN pip wheel --no-cache-dir --wheel-dir /wheels .

FROM python:3.11-slim-bookworm
# Pango and a font for WeasyPrint (briefings as PDF, formats = [..., "pdf"]); tini reaps and forwards signals.
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core tini \
 && rm -rf /var/lib/apt/lists/*
COPY --from=build /wheels /wheels
RUN pip install --no-cache-dir /wheels/*.whl && rm -rf /wheels \
 && useradd --system --uid 10001 --home-dir /data geodrift \
 && mkdir -p /data && chown geodrift /data
ENV GEODRIFT_DB=/data/geodrift.duckdb \
    GEODRIFT_MEMORY=1GB \
    GEODRIFT_THREADS=2 \
    PYTHONUNBUFFERED=1
VOLUME ["/data"]
WORKDIR /data
USER geodrift
EXPOSE 8000
HEALTHCHECK --interval=60s --timeout=10s --start-period=120s \
  CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/api/v1/alerts?limit=1', timeout=8)"
ENTRYPOINT ["tini", "--", "geodrift"]
CMD ["watch", "--every", "15m", "--serve", "--host", "0.0.0.0", "--port", "8000"]
