# The messenger binary in a slim Debian image. Build: docker build -t messenger:latest .
# Run one or more services: docker run messenger:latest serve --services gateway

# The builder's Swift must match the toolchain the project is developed with (6.3 now).
FROM swift:6.3-bookworm AS build
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
        libcurl4-openssl-dev libqrencode-dev libssl-dev pkg-config \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
# Package.resolved is not committed: the build resolves the versions Package.swift allows.
# Tests/ too: Package.swift declares its test targets, and SwiftPM needs their directories.
COPY Package.swift ./
COPY Shared ./Shared
COPY Services ./Services
COPY Tests ./Tests
RUN swift build -c release --product messenger --static-swift-stdlib \
    && install -D -m 0755 "$(swift build -c release --show-bin-path)/messenger" /out/messenger

# The Swagger UI and ReDoc files of /docs and /redoc, from the wheel pinned in docs/api (never committed).
FROM python:3.12-slim-bookworm AS api-docs
WORKDIR /src
COPY docs/api ./docs/api
RUN bash docs/api/assets.sh /api-docs

FROM debian:bookworm-slim
# Swift's runtime and Foundation are linked in; libcurl (with OpenSSL) and libqrencode are not.
# curl is for health checks.
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
        libcurl4 libqrencode4 libssl3 libstdc++6 zlib1g ca-certificates tzdata curl \
    && rm -rf /var/lib/apt/lists/*
RUN useradd --system --user-group --home-dir /var/lib/messenger --shell /usr/sbin/nologin messenger \
    && install -d -o messenger -g messenger -m 0700 /var/lib/messenger
COPY --from=build /out/messenger /usr/local/bin/messenger
COPY --from=api-docs /api-docs /usr/share/messenger/api-docs
# In a container every service listens on all interfaces; the compose network keeps the
# internal ports private. DATA_DIR holds generated secrets and local-mode avatars.
ENV HOST=0.0.0.0 \
    INTERNAL_HOST=0.0.0.0 \
    DATA_DIR=/var/lib/messenger \
    API_DOCS_ASSETS=/usr/share/messenger/api-docs
USER messenger
WORKDIR /var/lib/messenger
EXPOSE 8080
ENTRYPOINT ["/usr/local/bin/messenger"]
CMD ["serve"]
