# The Ecograph server for docker-compose (external PostgreSQL through DATABASE_URL).
FROM node:20-bookworm-slim
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY migrations ./migrations
COPY seeds ./seeds
COPY schema ./schema
RUN npm run build
ENV NODE_ENV=production PORT=4000 HOST=0.0.0.0
EXPOSE 4000
USER node
# A 16 MB young generation (2 x 8) instead of 32: see src/server/heap.ts.
CMD ["node", "--max-semi-space-size=8", "dist/src/main.js"]
