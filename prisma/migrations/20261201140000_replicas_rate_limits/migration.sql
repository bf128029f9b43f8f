-- Scale-out: read-your-writes marker on API keys, and rate-limit counters shared by every app instance.

-- When the key last sent a mutation: for READ_YOUR_WRITES_SECONDS after it, its reads go to
-- the primary instead of a replica (src/db/replicas.ts). Kept here, not in process memory,
-- so that every app instance behind a load balancer sees it.
ALTER TABLE "api_keys" ADD COLUMN "last_write_at" TIMESTAMPTZ(3);

-- rate-limiter-flexible's RateLimiterPostgres layout (the library is told the table exists and
-- never creates it). `expire` is epoch milliseconds. UNLOGGED: counters need no crash safety
-- or replication, and skip the WAL on every request.
CREATE UNLOGGED TABLE "rate_limits" (
    "key" VARCHAR(255) NOT NULL,
    "points" INTEGER NOT NULL DEFAULT 0,
    "expire" BIGINT,

    CONSTRAINT "rate_limits_pkey" PRIMARY KEY ("key")
);
