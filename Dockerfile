# Production image: the project installed with pip, served by gunicorn from /app.
FROM python:3.12-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    MEDIA_ROOT=/data/media \
    STATIC_ROOT=/app/staticfiles

# A non-root user with a home of its own (gunicorn keeps its control socket there).
RUN groupadd --system --gid 10001 app \
    && useradd --system --uid 10001 --gid app --create-home --home-dir /home/app app

WORKDIR /app
# templates/ and static/ are top-level directories, so the whole project is copied
# and the site runs from /app (see .dockerignore for what stays out).
COPY . /app

RUN pip install . \
    && rm -rf build *.egg-info

# The settings refuse to load without SECRET_KEY when DEBUG is off; a throwaway key
# is given to this one command only and is not kept in the image's environment.
RUN SECRET_KEY=collectstatic-only-not-a-real-key python manage.py collectstatic --no-input

# The media volume is mounted here; a new named volume takes this directory's owner.
RUN mkdir -p /data/media && chown app:app /data/media

USER app

EXPOSE 8000

CMD ["gunicorn", "newsroom.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "2", "--access-logfile", "-"]
