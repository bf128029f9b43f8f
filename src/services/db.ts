// The database door every service takes first (Db, src/db/client.ts), named here so that the
// layers above the services (GraphQL's context, HTTP, the CLI) need not import src/db for it.
export type { Db } from '../db/client';
