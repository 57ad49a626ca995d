# The ticketing service (ticketing/: API, staff console, web chat, help page) and, with another command,
# its mail worker. Python 3.12, the pinned dependencies of requirements/ticketing.lock.
#   docker build -f deploy/docker/ticketing.Dockerfile -t bvb/ticketing:$(git rev-parse --short HEAD) .
FROM python:3.12-slim
RUN useradd --uid 1001 --create-home bvb
WORKDIR /app
COPY requirements/ticketing.lock /tmp/ticketing.lock
RUN pip install --no-cache-dir -r /tmp/ticketing.lock && rm /tmp/ticketing.lock
COPY ticketing/ ./ticketing/
COPY procedure/ ./procedure/
COPY content/ ./content/
ENV PYTHONPATH=/app TICKETING_HOST=0.0.0.0 TICKETING_PORT=8000
USER 1001
EXPOSE 8000
# The mail worker: the same image with `python -m ticketing mail-worker --stay`.
ENTRYPOINT ["python", "-m", "ticketing"]
CMD ["serve"]
