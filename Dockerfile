# One image for the processes; the command picks one: api (default), worker, projector or dispatcher.
#   docker build -t email-scheduler .
#   docker run email-scheduler worker
# The steps are the ones .ci/run takes (npm ci, npm run build) plus a production-only install.

# Node 26, the Active LTS line since 2026-10-28 (security fixes until 2029-04-30): Node 20 left
# security support on 2026-04-30. CI tests 26 beside 20, 22 and 24 (package.json's engines).
ARG NODE_IMAGE=node:26-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json nest-cli.json ./
COPY apps apps
COPY libs libs
RUN npm run build

FROM ${NODE_IMAGE} AS production-deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

FROM ${NODE_IMAGE} AS runtime
# HOST: a container is reached through its own interface, so the api listens on all of them here
# (the default elsewhere is loopback); publish the port on the host's loopback (docker-compose.yml).
# The worker's and projector's METRICS_PORT stays on the container's loopback (METRICS_HOST), where
# the health check asks. NODE_ENV=production turns /docs off unless API_DOCS=true.
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    METRICS_PORT=9464
WORKDIR /app
COPY --from=production-deps /app/node_modules node_modules
COPY --from=build /app/dist dist
COPY package.json ./
COPY scripts/container-start.mjs scripts/container-healthcheck.mjs scripts/
# The image's files stay root's and read-only to the process, which runs as the unprivileged user.
USER node
# The api's HTTP port; the worker's and the projector's /metrics and /health/live (on the
# container's loopback unless METRICS_HOST says otherwise).
EXPOSE 3000 9464
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "scripts/container-healthcheck.mjs"]
ENTRYPOINT ["node", "scripts/container-start.mjs"]
CMD ["api"]
