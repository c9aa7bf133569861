# syntax=docker/dockerfile:1
#
# Knooppunt GraphQL API.
#   docker build -t knooppunt .
#   docker run -p 3000:3000 -e DATABASE_URL=postgres://… -e AUTH_JWT_SECRET=… knooppunt
# or `docker compose up` with docker-compose.yml (PostgreSQL and Redis included).

ARG NODE_IMAGE=node:22-bookworm-slim

# --- build: install everything, compile, then drop the development dependencies ---------------
FROM ${NODE_IMAGE} AS build
WORKDIR /app
ENV CI=true

# Dependencies first, so that this layer is reused while only sources change.
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm \
    npm ci --no-audit --no-fund

COPY nest-cli.json tsconfig.json tsconfig.build.json ./
COPY apps ./apps
COPY libs ./libs
RUN npm run build \
 && npm prune --omit=dev --no-audit --no-fund

# --- runtime: compiled code and production dependencies only, as the unprivileged `node` user --
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    PORT=3000
WORKDIR /app

COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# Writable only where the server may write: the embedded-PostgreSQL fallback's folder, used when no
# DATABASE_URL is given (not meant for production; data in it is lost with the container).
RUN mkdir -p /app/.data && chown node:node /app/.data

USER node
EXPOSE 3000

# Liveness only (no database round trip); /health/ready also checks PostgreSQL.
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:3000/health/live', { signal: AbortSignal.timeout(4000) }).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]

# nest build (tsc, rootDir ".") writes the entry point to dist/apps/api/src/main.js.
CMD ["node", "--max-semi-space-size=32", "dist/apps/api/src/main.js"]
