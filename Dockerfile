# TensorDojo images. Targets:
#   api         the FastAPI app (runs migrations and the bank sync through the `migrate` service)
#   worker      a CPU grading worker (bubblewrap sandbox; CPU builds of torch and jax)
#   gpu-worker  a GPU grading worker (CUDA runtime; CUDA builds of torch and jax)
# Build: docker build --target api -t tensordojo-api .

FROM python:3.11-slim-bookworm AS base
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 DOJO_ENV=production
WORKDIR /app
RUN useradd --create-home --uid 1000 dojo
COPY pyproject.toml README.md alembic.ini ./
COPY app ./app
COPY workers ./workers
COPY migrations ./migrations
COPY questions ./questions

FROM base AS api
RUN pip install "torch==2.13.0" --index-url https://download.pytorch.org/whl/cpu \
    && pip install .
USER dojo
EXPOSE 8000
CMD ["uvicorn", "--factory", "app.main:create_app", "--host", "0.0.0.0", "--port", "8000", "--proxy-headers"]

FROM base AS worker
# bubblewrap is the sandbox; util-linux provides the tools it needs to start runs.
RUN apt-get update && apt-get install -y --no-install-recommends bubblewrap util-linux \
    && rm -rf /var/lib/apt/lists/* \
    && pip install "torch==2.13.0" --index-url https://download.pytorch.org/whl/cpu \
    && pip install .
CMD ["dojo", "worker", "--queues", "cpu"]

FROM nvidia/cuda:12.4.1-cudnn-runtime-ubuntu22.04 AS gpu-worker
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 DOJO_ENV=production \
    XLA_PYTHON_CLIENT_PREALLOCATE=false
RUN apt-get update && apt-get install -y --no-install-recommends \
        python3.11 python3.11-venv bubblewrap util-linux \
    && rm -rf /var/lib/apt/lists/* \
    && python3.11 -m venv /venv
ENV PATH=/venv/bin:$PATH
WORKDIR /app
COPY pyproject.toml README.md alembic.ini ./
COPY app ./app
COPY workers ./workers
COPY migrations ./migrations
COPY questions ./questions
RUN pip install "torch==2.13.0" && pip install . "jax[cuda12]"
CMD ["dojo", "worker", "--queues", "gpu", "--concurrency", "1"]
