# The Rasa server with our NLU components (bot/), the shared procedure rules (procedure/) and the trained
# model. Built on Rasa's own image of the same version the project pins (requirements/rasa.lock).
#   docker build -f deploy/docker/rasa.Dockerfile -t bvb/rasa:$(git rev-parse --short HEAD) .
# (not built on the project's machines: they run no container engine; see docs/deploy.md)
FROM rasa/rasa:3.6.21
USER root
COPY requirements/rasa.lock /tmp/rasa.lock
# Only what our components add to Rasa's own image, at the pinned versions.
RUN grep -iE '^(pymorphy3|pymorphy3-dicts-ru|DAWG2-Python|lingua-language-detector)==' /tmp/rasa.lock > /tmp/extra.txt \
 && pip install --no-cache-dir -r /tmp/extra.txt && rm /tmp/rasa.lock /tmp/extra.txt
WORKDIR /app
COPY config.yml domain.yml credentials.yml ./
COPY deploy/endpoints.prod.yml ./deploy/endpoints.prod.yml
COPY bot/ ./bot/
COPY procedure/ ./procedure/
COPY models/bot.tar.gz ./models/bot.tar.gz
ENV PYTHONPATH=/app RASA_TELEMETRY_ENABLED=false TF_CPP_MIN_LOG_LEVEL=3 SQLALCHEMY_SILENCE_UBER_WARNING=1
USER 1001
# Rasa's image has `rasa` as its entrypoint; the chart passes `run …` (deploy/helm/rasa-values.yaml).
CMD ["run", "--enable-api", "--port", "5005", "--model", "models/bot.tar.gz", "--endpoints", "deploy/endpoints.prod.yml", "--credentials", "credentials.yml"]
