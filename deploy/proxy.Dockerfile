# The reverse proxy: Debian's nginx with Debian's brotli module, configured by
# deploy/nginx/compose.conf (deploy/nginx/sme.conf.template rendered for deploy/compose.yaml).
# Build from the project root:  docker build -f deploy/proxy.Dockerfile -t sme-readiness-proxy .

# Streamlit's fonts cut down to what the app draws with (deploy/fonts.py), from the same
# requirements.txt as the app image, so from the same Streamlit version.
FROM python:3.11-slim-bookworm AS fonts
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /build
COPY requirements.txt ./
RUN grep -E '^(streamlit|fonttools)' requirements.txt > fonts-requirements.txt && pip install -r fonts-requirements.txt
COPY app.py ./
COPY ui ui
COPY locales locales
COPY deploy/__init__.py deploy/fonts.py deploy/
RUN python -m deploy.fonts /build/fonts

FROM debian:bookworm-slim

RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends nginx libnginx-mod-http-brotli-filter \
    && rm -rf /var/lib/apt/lists/*

COPY deploy/nginx/compose.conf /etc/nginx/nginx.conf
COPY --from=fonts /build/fonts /usr/share/nginx/sme-fonts

EXPOSE 80
STOPSIGNAL SIGQUIT
CMD ["nginx", "-g", "daemon off;"]
