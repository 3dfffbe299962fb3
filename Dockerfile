# A small image for container jobs (GitLab CI, GitHub and Azure container
# jobs): offercheck as one static binary on Alpine, which keeps the shell a
# CI runner needs for a job's script, and its root certificates for the URL
# checks. It runs as root, as CI images do, so that a job can write its
# reports into the checkout it was given.
#   docker build -t offercheck .
#   docker run --rm -v "$PWD:/work" offercheck offercheck check --offline

FROM rust:1.85-alpine3.21 AS build
# The C compiler's musl headers, for ring; the binary comes out static.
# hadolint ignore=DL3018
RUN apk add --no-cache musl-dev
WORKDIR /src
COPY . .
RUN cargo build --release --locked --bin offercheck \
    && strip target/release/offercheck

FROM alpine:3.21
COPY --from=build /src/target/release/offercheck /usr/local/bin/offercheck
WORKDIR /work
CMD ["offercheck", "--help"]
