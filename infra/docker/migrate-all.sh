#!/bin/sh
# Runs each service's migrations in turn (IDLEGRID_MIGRATE_SERVICES, space
# separated) and stops at the first failure, so `docker compose` never starts
# a service against a half-migrated database.
set -eu
cd /app
for s in ${IDLEGRID_MIGRATE_SERVICES:-gateway registry pricing matching billing}; do
  echo "migrate: ${s}"
  node --import tsx "services/${s}/src/migrate.ts"
done
echo "migrate: all done"
