# The action server (actions/), on Rasa's own rasa-sdk image of the pinned version.
#   docker build -f deploy/docker/actions.Dockerfile -t bvb/actions:$(git rev-parse --short HEAD) .
FROM rasa/rasa-sdk:3.6.2
USER root
COPY requirements/rasa.lock /tmp/rasa.lock
RUN grep -iE '^(aiohttp|PyYAML|PyJWT)==' /tmp/rasa.lock > /tmp/extra.txt \
 && pip install --no-cache-dir -r /tmp/extra.txt && rm /tmp/rasa.lock /tmp/extra.txt
WORKDIR /app
COPY actions/ ./actions/
COPY procedure/ ./procedure/
COPY content/ ./content/
ENV PYTHONPATH=/app
# In a pod the server must listen beyond loopback; it still answers only calls with ACTION_SERVER_TOKEN.
ENV ACTIONS_HOST=0.0.0.0
USER 1001
EXPOSE 5055
ENTRYPOINT ["python", "-m", "actions.server"]
CMD ["--port", "5055"]
