# syntax=docker/dockerfile:1
# One image, three roles (ROLE=all|web|worker). Build: docker build -t loket .

# --- build: every dependency, then tsc into dist/ ---------------------------------
FROM node:24-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY channels ./channels
COPY queues ./queues
COPY scripts ./scripts
RUN npm run build

# --- prod-deps: production dependencies only --------------------------------------
FROM node:24-slim AS prod-deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

# --- runtime ----------------------------------------------------------------------
FROM node:24-slim AS runtime
# A heap limit sized for a service, not for the machine: with Node's default (a share of all
# memory, ~4 GB on a 24 GB host) V8 lets the old generation grow to 4x its live size before a
# full collection; at 1 GB it collects at ~1.6x (README, Performance). Also in scripts/start.sh
# and the benchmarks' Loket children (bench/harness.ts).
ENV NODE_ENV=production \
    DATA_DIR=/app/data \
    NODE_OPTIONS=--max-old-space-size=1024
# Letters: Tesseract with Dutch reads the scans, pdftoppm turns scanned PDFs into page images.
RUN apt-get update \
 && apt-get install -y --no-install-recommends tesseract-ocr tesseract-ocr-nld poppler-utils \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=prod-deps --chown=root:root /app/node_modules ./node_modules
COPY --chown=root:root package.json ./
COPY --from=build --chown=root:root /app/dist ./dist
# src/db/database.ts resolves migrations to <app>/drizzle from dist/src/db/.
COPY --chown=root:root drizzle ./drizzle
# The topic classifier's base set (src/classifier/training-set.ts), trained on at start.
COPY --chown=root:root training ./training
# The only writable place: .eml outbox without SMTP_URL, PGlite with ROLE=all and no DATABASE_URL.
RUN mkdir -p /app/data && chown node:node /app/data
USER node
EXPOSE 3000
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.HTTP_PORT||3000)+'/readyz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["node", "--enable-source-maps", "dist/src/main.js"]
