# kumo in a container: `docker build -t kumo .` then `docker run -p 4566:4566 -v kumo-data:/data kumo`.
# The bundle in dist/ carries its runtime dependencies, so the image needs no node_modules.
FROM node:20-slim AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY scripts ./scripts
COPY src ./src
COPY models ./models
COPY tsconfig.json tsconfig.build.json README.md ./
RUN npm run build

FROM node:20-slim
ENV NODE_ENV=production \
    KUMO_HOST=0.0.0.0 \
    KUMO_PORT=4566 \
    KUMO_DATA_DIR=/data
WORKDIR /opt/kumo
COPY --from=build /src/package.json ./
COPY --from=build /src/dist ./dist
COPY --from=build /src/models ./models
RUN mkdir -p /data /etc/kumo/init && chown node:node /data
USER node
VOLUME /data
EXPOSE 4566
# node:20-slim has no curl: node's own fetch checks /health.
HEALTHCHECK --interval=5s --timeout=3s --start-period=10s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.KUMO_PORT || 4566) + '/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
ENTRYPOINT ["node", "/opt/kumo/dist/cli.js"]
CMD ["start"]
