# syntax=docker/dockerfile:1
# One-shot image that runs the database migrations of every service, in order.
# docker-compose's `migrate` service uses it; in Kubernetes each Deployment
# instead runs its own service's migrate.ts in an initContainer.
#   docker build -f infra/docker/migrate.Dockerfile -t idlegrid/migrate .
#
# Same stages as <service>.Dockerfile (read gateway.Dockerfile for the why),
# but the install and the sources cover all the services in SERVICES.
# Each service owns its schema and its migrations are safe to run while
# another process runs them too, so re-running this is harmless.

ARG NODE_IMAGE=node:20-bookworm-slim
ARG SERVICES="gateway registry pricing matching billing"

FROM ${NODE_IMAGE} AS base
RUN npm install -g pnpm@10.34.8 && npm cache clean --force
ENV CI=true
WORKDIR /app

FROM base AS prune
COPY . /src
WORKDIR /src
RUN find . \( -name node_modules -o -name .turbo -o -name coverage \) -type d \
      -prune -exec rm -rf {} + \
 && mkdir /manifests \
 && cp --parents package.json pnpm-lock.yaml pnpm-workspace.yaml \
      packages/*/package.json services/*/package.json /manifests/ \
 && for f in .npmrc .pnpmfile.cjs patches; do \
      if [ -e "$f" ]; then cp -r --parents "$f" /manifests/; fi; \
    done

FROM base AS deps
ARG SERVICES
COPY --from=prune /manifests/ ./
# One --filter-prod per service: the union of their production dependencies.
RUN pnpm install --frozen-lockfile --prod \
      $(for s in ${SERVICES}; do printf -- '--filter-prod {./services/%s}... ' "$s"; done) \
      --public-hoist-pattern=tsx \
 && if [ ! -e node_modules/tsx ]; then \
      echo >&2 "each service's package.json must list tsx under dependencies (the runtime needs it)"; \
      exit 1; \
    fi

FROM deps AS app
ARG SERVICES
COPY --from=prune /src/proto ./proto
COPY --from=prune /src/packages ./packages
COPY --from=prune /src/services ./services
COPY --from=prune /src/infra/docker/migrate-all.sh ./migrate-all.sh
RUN for d in services/*; do \
      case " ${SERVICES} " in *" ${d#services/} "*) ;; *) rm -rf "$d" ;; esac; \
    done \
 && find packages services \( -name '*.test.ts' -o -name '*.spec.ts' \) -delete \
 && rm -rf pnpm-lock.yaml pnpm-workspace.yaml .npmrc .pnpmfile.cjs patches

FROM ${NODE_IMAGE} AS runtime
ARG SERVICES
ENV NODE_ENV=production \
    IDLEGRID_PROTO_ROOT=/app/proto \
    IDLEGRID_MIGRATE_SERVICES=${SERVICES}
WORKDIR /app
COPY --from=app /app /app
USER node
CMD ["sh", "/app/migrate-all.sh"]
