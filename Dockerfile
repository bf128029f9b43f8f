# The app image used by docker-compose.yml.
FROM node:20-bookworm-slim
WORKDIR /app
# Install (postinstall generates the Prisma client and GraphQL types from these files).
COPY package.json package-lock.json prisma.config.ts codegen.ts schema.graphql ./
COPY prisma ./prisma
COPY scripts ./scripts
# The browser pages (built into web/dist) and the example client's operations (codegen).
COPY web ./web
COPY examples ./examples
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY seed ./seed
# Compiled to dist/ (npm start runs the TypeScript through tsx; why: docs/decisions/production-runtime.md).
RUN npm run build
# The persisted-query safelist (used with PERSISTED_QUERIES=only).
COPY persisted-queries.json ./
EXPOSE 4000
CMD ["npm", "run", "start:prod"]
