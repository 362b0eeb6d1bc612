# The worker image (also runs the Airbyte simulator for the docker-compose `simulator` profile).
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build

FROM node:20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/arazzo ./arazzo
COPY --from=build /app/openapi ./openapi
COPY --from=build /app/asyncapi ./asyncapi
USER node
CMD ["node", "dist/src/worker.js"]
