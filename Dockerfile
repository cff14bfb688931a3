# One image for the API, the worker and the sandbox org; docker-compose.yml picks the command.
# Node 24 is the current LTS; the service also runs on Node 20 and 22 (package.json engines), and CI tests 20 and 24.
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
COPY console/package.json ./console/
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json nest-cli.json ormconfig.ts ./
COPY src ./src
COPY sandbox-org ./sandbox-org
COPY scripts ./scripts
COPY console ./console
RUN npm run build && npm prune --omit=dev

FROM node:24-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/console/dist ./console/dist
USER node
EXPOSE 3000
# As `npm run start:api` (package.json) starts the API: V8 heap bounds that keep its peak memory under 250 MB.
CMD ["node", "--max-semi-space-size=16", "--max-old-space-size=160", "dist/src/main.js"]
