# One image for every process of an office: `wushe serve <service>`, `wushe relay`,
# `wushe token create …`. Build it from the repository root: `docker build -t wushe .`
FROM python:3.11-slim

# uv comes from PyPI, not ghcr.io: an office may reach nothing but a PyPI mirror.
RUN pip install --no-cache-dir "uv>=0.9,<0.14" \
    && groupadd --system --gid 10001 wushe \
    && useradd --system --uid 10001 --gid wushe --no-create-home --home-dir /app wushe

# The base image's Python, never a downloaded one; bytecode compiled at build time because the
# non-root user cannot write __pycache__ at run time; no uv cache left in the layers.
ENV UV_PYTHON_DOWNLOADS=never \
    UV_COMPILE_BYTECODE=1 \
    UV_NO_CACHE=1 \
    UV_PROJECT_ENVIRONMENT=/app/.venv \
    PYTHONUNBUFFERED=1 \
    PATH=/app/.venv/bin:$PATH

WORKDIR /app

# Dependencies first, from the lock file and the pyproject files alone, so that this layer is
# rebuilt only when they change. Every workspace member's pyproject is needed to resolve.
COPY pyproject.toml uv.lock ./
COPY libs/embedded/pyproject.toml libs/embedded/
COPY libs/events/pyproject.toml libs/events/
COPY libs/service/pyproject.toml libs/service/
COPY services/cli/pyproject.toml services/cli/
COPY services/funds/pyproject.toml services/funds/
COPY services/needs/pyproject.toml services/needs/
COPY services/reporting/pyproject.toml services/reporting/
COPY services/volunteers/pyproject.toml services/volunteers/
RUN uv sync --locked --no-install-workspace --no-dev --package wushe-cli

# Then Wushe itself, installed into the venv (not editable), so it runs without the sources.
COPY libs libs
COPY services services
RUN uv sync --locked --no-dev --package wushe-cli --no-editable

# The wushe user, by number so that a runtime can check it is not root (runAsNonRoot).
USER 10001:10001

ENTRYPOINT ["wushe"]
CMD ["--help"]
