# The Sales Assembly Line engine as a service: one container per org (docs/operations.md).
# Build: docker build -t asl-engine .
# Run:   docker run -d --name asl-engine -e ASL_CONFIG=/etc/asl/engine.json -e ASL_HTTP_TOKEN=... \
#          -v /path/to/engine.json:/etc/asl/engine.json:ro -v /path/to/server.key:/run/secrets/asl/server.key:ro \
#          -v asl-state:/var/lib/asl-engine -p 4291:4291 asl-engine
FROM node:24-slim

ENV NODE_ENV=production \
    ASL_HTTP_HOST=0.0.0.0 \
    ASL_HTTP_PORT=4291 \
    ASL_STATE_DIR=/var/lib/asl-engine

WORKDIR /app

# The engine runs its TypeScript through tsx, which is a devDependency of the project (the
# development toolchain: sf CLI, jest, LWC tooling) that a runtime image must not carry. So the
# image installs the production dependencies from the lockfile and tsx alone, pinned to the
# lockfile's version, globally (outside the project tree). `npm install` from the lock file,
# as CI does: this npm's lock files are refused by `npm ci`.
COPY package.json package-lock.json ./
RUN npm install --omit=dev --no-save --ignore-scripts --no-audit --no-fund \
    && npm install --global --ignore-scripts --no-audit --no-fund \
         "tsx@$(node -p "require('./package-lock.json').packages['node_modules/tsx'].version")" \
    && npm cache clean --force

COPY tsconfig.json ./
COPY bin ./bin
COPY config ./config
COPY services/engine ./services/engine
# The package's flow list, so `asl doctor` run inside the container knows which flows to expect.
COPY force-app/main/default/flows ./force-app/main/default/flows

RUN mkdir -p /var/lib/asl-engine && chown node:node /var/lib/asl-engine
USER node

EXPOSE 4291
# /healthz answers without the token (services/engine/http/app.ts); the HTTP API is served
# only when ASL_HTTP_TOKEN is set, which a container deployment must do.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.ASL_HTTP_PORT || 4291) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]

STOPSIGNAL SIGTERM
ENTRYPOINT ["tsx", "services/engine/main.ts"]
