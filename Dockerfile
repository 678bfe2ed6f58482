# The Yunfu app (business API, pages, workers) for docker-compose.yml. It runs TypeScript through tsx,
# so the dev dependencies stay in the image. better-sqlite3 needs a compiler if no prebuilt binary fits.
FROM node:20-bookworm-slim AS build
WORKDIR /app
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci

FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=8080 \
    DATA_DIR=/data
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY package.json package-lock.json tsconfig.json ./
COPY src ./src
COPY workers ./workers
COPY processes ./processes
COPY config ./config
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 8080
# `npm start`; the workers service of docker-compose.yml runs workers/runner.ts from the same image.
CMD ["node", "--import", "tsx", "src/main.ts"]
