# The Ketamine & Chronic Pain Explainer in one container.
#   docker build -t pain-explainer .
#   docker run -p 8501:8501 pain-explainer
# With a clinic profile (mounted read-only, see docs/deploy.md):
#   docker run -p 8501:8501 -v "$PWD/clinic:/clinic:ro" -e EXPLAINER_CLINIC=/clinic/clinic.toml pain-explainer
FROM python:3.11-slim

# MALLOC_ARENA_MAX: glibc keeps at most two malloc arenas for the server's many short-lived
# script threads (docs/deploy.md, "Memory").
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    MALLOC_ARENA_MAX=2

# An unprivileged user with a home of its own (Streamlit may write small files under ~/.streamlit).
RUN groupadd --system explainer \
 && useradd --system --gid explainer --create-home --home-dir /home/explainer --shell /usr/sbin/nologin explainer

WORKDIR /app

# Dependencies first, so that editing content or code does not reinstall them.
COPY requirements.txt ./
RUN pip install --no-cache-dir -r requirements.txt

# The application stays owned by root: the user that runs it can read it but not change it.
COPY . .

USER explainer

EXPOSE 8501

# Streamlit answers "ok" on /_stcore/health once it can serve. The slim image has no curl, so ask Python.
HEALTHCHECK --interval=30s --timeout=5s --start-period=40s --retries=3 \
  CMD ["python", "-c", "import sys, urllib.request; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:8501/_stcore/health', timeout=4).status == 200 else 1)"]

# serve.py (not streamlit_app.py): it adds the security and framing headers.
CMD ["streamlit", "run", "serve.py", "--server.port", "8501", "--server.address", "0.0.0.0", "--server.headless", "true"]
