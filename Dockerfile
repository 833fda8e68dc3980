# netatlas: multi-stage build, non-root at run time.
# The service runs its TypeScript sources through tsx (a runtime dependency), so the build stage
# only installs production dependencies (compiling better-sqlite3 if no prebuilt binary fits) and
# builds the map bundle when the project has a script for it.

FROM node:20-bookworm-slim AS build
WORKDIR /app
# Toolchain for native modules (better-sqlite3) when no prebuilt binary matches.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci
COPY . .
RUN npm run build:web --if-present \
 && npm prune --omit=dev

FROM node:20-bookworm-slim AS runtime
# Listening on 0.0.0.0 without http.auth.readToken (NETATLAS_HTTP_AUTH_READ_TOKEN) opens every read
# route to whoever reaches the port: the service logs a SECURITY WARNING line at start (server/exposure.ts).
ENV NODE_ENV=production \
    NETATLAS_DATA_DIR=/data \
    NETATLAS_HTTP_HOST=0.0.0.0
WORKDIR /app
COPY --from=build --chown=root:root /app /app
# The data dir (embedded store, spool, collector state) is the only place the service writes;
# and web/dist, which the service rebuilds at start if its sources look newer than the bundle.
RUN mkdir -p /data /app/web/dist && chown node:node /data && chown -R node:node /app/web/dist
USER node
VOLUME ["/data"]
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:8080/api/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# node as PID 1 would ignore SIGTERM without a handler; the service has one (clean shutdown).
CMD ["node", "bin/netatlas.js", "start"]
