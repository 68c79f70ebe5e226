# Kiln's API and worker image (used by temporal.compose.yml).
FROM node:24-bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends git buildah ca-certificates \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build:ui
ENV NODE_ENV=production
# Kiln listens on loopback unless told otherwise; inside a container the published port is the boundary.
ENV HOST=0.0.0.0
EXPOSE 8080
CMD ["npm", "start"]
