# The reverse proxy: Debian's nginx with Debian's brotli module, configured by
# deploy/nginx/compose.conf (deploy/nginx/sme.conf.template rendered for deploy/compose.yaml).
# Build from the project root:  docker build -f deploy/proxy.Dockerfile -t sme-readiness-proxy .
FROM debian:bookworm-slim

RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends nginx libnginx-mod-http-brotli-filter \
    && rm -rf /var/lib/apt/lists/*

COPY deploy/nginx/compose.conf /etc/nginx/nginx.conf

EXPOSE 80
STOPSIGNAL SIGQUIT
CMD ["nginx", "-g", "daemon off;"]
