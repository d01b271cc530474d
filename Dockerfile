# Multi-stage build: wheels in a builder, a slim non-root runtime that migrates then serves.
FROM python:3.11-slim AS build
WORKDIR /src
COPY pyproject.toml constraints.txt README.md ./
COPY app ./app
# EXTRAS=dask adds dask[distributed] (the Dask scheduler, its workers and SEIRCAST_DASK_SCHEDULER)
ARG EXTRAS=""
RUN pip wheel --no-cache-dir --constraint constraints.txt --wheel-dir /wheels ".${EXTRAS:+[$EXTRAS]}"

FROM python:3.11-slim
RUN useradd --create-home --uid 10001 seircast
WORKDIR /srv/seircast
COPY --from=build /wheels /wheels
RUN pip install --no-cache-dir /wheels/*.whl && rm -rf /wheels
COPY migrations ./migrations
ENV SEIRCAST_MIGRATIONS_DIR=/srv/seircast/migrations \
    SEIRCAST_DATABASE_URL=sqlite:////srv/seircast/var/seircast.db \
    PYTHONUNBUFFERED=1
RUN mkdir -p var && chown seircast:seircast var
# The SQLite database of the embedded default lives here: keep it in a volume.
VOLUME ["/srv/seircast/var"]
USER seircast
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=3s CMD python -c "import urllib.request,sys; urllib.request.urlopen('http://127.0.0.1:8000/health'); sys.exit(0)"
# A public bind: seircast serve refuses to start without SEIRCAST_API_KEYS (docker run -e ...),
# unless SEIRCAST_ALLOW_OPEN_PUBLIC_BIND=true says to serve it open.
CMD ["sh", "-c", "seircast migrate && exec seircast serve --host 0.0.0.0 --port 8000"]
