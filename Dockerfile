# syntax=docker/dockerfile:1
# The incident-operator image: a Swift build stage and a slim runtime stage
# with only libcurl (and what it needs) and the C++ runtime. The Swift
# standard library, Foundation and Dispatch are linked statically
# (--static-swift-stdlib), so no Swift runtime libraries are needed at run
# time. Tests/python/test_dockerfile.py checks this file with hadolint and
# checks, with ldd, that the binary needs only libraries this stage installs.
#
#   docker build -t ghcr.io/incidentops/incident-operator:0.1.0 .

ARG SWIFT_IMAGE=swift:6.3-bookworm
ARG RUNTIME_IMAGE=debian:bookworm-slim

FROM ${SWIFT_IMAGE} AS build
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends libcurl4-openssl-dev pkg-config \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
# Package.swift first: the dependency-free package resolves without the
# sources, and this layer stays cached while only sources change.
COPY Package.swift ./
COPY Sources ./Sources
# The same flags as `make release` (what the benchmarks measure): lld packs the relative relocations.
RUN swift build -c release --product incident-operator --static-swift-stdlib \
        -Xswiftc -Xclang-linker -Xswiftc -fuse-ld=lld -Xlinker -z -Xlinker pack-relative-relocs \
    && install -D -m 0755 "$(swift build -c release --show-bin-path)/incident-operator" /out/incident-operator

FROM ${RUNTIME_IMAGE} AS runtime
# libcurl4: the HTTP client; libstdc++6: the C++ runtime the static Swift
# runtime still links dynamically; ca-certificates: TLS to the API server.
# Versions come from the pinned Debian release (bookworm).
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends libcurl4 libstdc++6 ca-certificates \
    && rm -rf /var/lib/apt/lists/* /var/cache/apt/archives/*
COPY --from=build /out/incident-operator /usr/local/bin/incident-operator
# A numeric non-root user (the chart runs as 65532 with runAsNonRoot).
USER 65532:65532
EXPOSE 8080 8081
# Exec form: no shell is involved in starting the operator.
ENTRYPOINT ["/usr/local/bin/incident-operator"]
CMD ["run"]

LABEL org.opencontainers.image.title="incident-operator" \
      org.opencontainers.image.source="https://github.com/incidentops/incident-operator"
