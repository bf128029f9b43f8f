#!/bin/bash
# Runs once, when the official postgres image initialises the primary's data directory
# (docker-entrypoint-initdb.d): a role for streaming replication, allowed from the network.
set -euo pipefail
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
  -v password="$REPLICATION_PASSWORD" <<'SQL'
CREATE ROLE replicator WITH REPLICATION LOGIN PASSWORD :'password';
SQL
# "all" in pg_hba's database column does not cover replication connections: name them.
echo "host replication replicator all scram-sha-256" >> "$PGDATA/pg_hba.conf"
