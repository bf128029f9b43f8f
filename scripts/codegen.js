#!/usr/bin/env node
// Generates the Prisma client and the GraphQL resolver types (npm postinstall).
// `prisma generate` does not run the schema engine, but it tries to download it
// unless PRISMA_SCHEMA_ENGINE_BINARY names an existing file; offline machines
// cannot download it, so we point it at this very file when nothing else is set.
const { execFileSync } = require('node:child_process');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const env = { ...process.env };
if (!env.PRISMA_SCHEMA_ENGINE_BINARY) env.PRISMA_SCHEMA_ENGINE_BINARY = __filename;
const bin = (name) => path.join(root, 'node_modules', '.bin', name);
const run = (cmd, args) => execFileSync(cmd, args, { cwd: root, env, stdio: 'inherit' });

run(bin('prisma'), ['generate']);
run(bin('graphql-codegen'), ['--config', 'codegen.ts']);
// The example client's typed document nodes (examples/client/).
run(bin('graphql-codegen'), ['--config', 'examples/client/codegen.ts']);
