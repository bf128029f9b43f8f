#!/bin/bash
# A streaming replica of $PRIMARY_HOST. The first start clones the primary with
# pg_basebackup -R (which writes standby.signal and primary_conninfo); later starts
# resume streaming from where the volume left off. Runs as the postgres user.
set -euo pipefail
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  until pg_isready -q -h "$PRIMARY_HOST" -U replicator -d postgres; do sleep 1; done
  PGPASSWORD="$REPLICATION_PASSWORD" pg_basebackup -h "$PRIMARY_HOST" -U replicator \
    -D "$PGDATA" -R -X stream -c fast
  chmod 700 "$PGDATA"
fi
exec postgres -c hot_standby=on
