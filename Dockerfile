FROM python:3.11-slim-bookworm

# WeasyPrint needs Pango; libpq is not needed (psycopg[binary] ships it). The backup
# commands need pg_dump/pg_restore (bookworm's client is 15, as the compose database).
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 \
       libharfbuzz-subset0 fonts-dejavu-core postgresql-client \
    && rm -rf /var/lib/apt/lists/*

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /app
COPY pyproject.toml ./
RUN pip install --no-cache-dir . && useradd --system --uid 1000 meldcode
COPY . .
# collectstatic needs settings but no secrets of the real deployment.
RUN DEBUG=0 SECRET_KEY=build-only-key-build-only-key-build-only-key-build-only \
    ALLOWED_HOSTS=localhost ATTACHMENT_KEYS=YnVpbGQtb25seS1rZXktYnVpbGQtb25seS1rZXktLS0= \
    python manage.py collectstatic --noinput \
    && mkdir -p /app/private_media && chown meldcode /app/private_media
USER meldcode
EXPOSE 8000
# No gunicorn access log: its request line has the query string (a search for a pupil's
# name); meldcode.request writes one line per request without it.
CMD ["gunicorn", "meldcode.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3"]
