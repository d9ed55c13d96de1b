# syntax=docker/dockerfile:1
# Image for the Idlegrid pricing service. Build from the repository root:
#   docker build -f infra/docker/pricing.Dockerfile -t idlegrid/pricing .
#
# Every service Dockerfile in infra/docker/ is this same file; only the
# SERVICE default, EXPOSE and CMD lines differ (CMD is exec form, and exec
# form does not expand ARG/ENV, so the path is written out).
#
# How the image gets node_modules: there is no build step (tsx runs the
# TypeScript), so the image is the workspace itself, cut down to one service.
#   prune   - the whole build context, minus anything built on the host
#             (node_modules are removed here, so a build is correct even
#             where the .dockerignore next to this file is not honoured).
#   deps    - only the lockfile and the workspace manifests, so this layer is
#             rebuilt only when dependencies change; then a frozen, production
#             install of this service and the workspace packages it depends on
#             (--filter-prod follows `dependencies` only, so test-only packages
#             such as @idlegrid/testkit stay out). tsx is hoisted to
#             /app/node_modules because `node --import tsx` resolves from the
#             working directory, /app.
#   app     - the sources laid over the installed tree, other services dropped.
#   runtime - a clean Node image with /app owned by root and run as `node`.

ARG NODE_IMAGE=node:20-bookworm-slim
ARG SERVICE=pricing

FROM ${NODE_IMAGE} AS base
# pnpm pinned to root package.json's packageManager; installed with npm rather
# than corepack so nothing is downloaded or signature-checked at run time.
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
ARG SERVICE
COPY --from=prune /manifests/ ./
RUN pnpm install --frozen-lockfile --prod \
      --filter-prod "{./services/${SERVICE}}..." \
      --public-hoist-pattern=tsx \
 && if [ ! -e node_modules/tsx ]; then \
      echo >&2 "services/${SERVICE}/package.json must list tsx under dependencies (the runtime needs it)"; \
      exit 1; \
    fi

FROM deps AS app
ARG SERVICE
COPY --from=prune /src/proto ./proto
COPY --from=prune /src/packages ./packages
COPY --from=prune /src/services/${SERVICE} ./services/${SERVICE}
RUN find services -mindepth 1 -maxdepth 1 ! -name "${SERVICE}" -exec rm -rf {} + \
 && find packages services \( -name '*.test.ts' -o -name '*.spec.ts' \) -delete \
 && rm -rf pnpm-lock.yaml pnpm-workspace.yaml .npmrc .pnpmfile.cjs patches

FROM ${NODE_IMAGE} AS runtime
ARG SERVICE
ENV NODE_ENV=production \
    IDLEGRID_SERVICE=${SERVICE} \
    IDLEGRID_PROTO_ROOT=/app/proto
WORKDIR /app
# Owned by root, so the `node` user can read but not change the code; the
# only writable place it needs is /tmp (tsx's transform cache).
COPY --from=app /app /app
USER node
EXPOSE 50052 8082
STOPSIGNAL SIGTERM
# No HEALTHCHECK: compose and Kubernetes probe /healthz and /readyz themselves.
CMD ["node", "--import", "tsx", "services/pricing/src/main.ts"]
