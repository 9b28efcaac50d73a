# Multi-stage build of the carefit binary for users with Docker.
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=docker
RUN CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X main.version=${VERSION}" -o /out/carefit ./cmd/carefit

FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 carefit
COPY --from=build /out/carefit /usr/local/bin/carefit
USER carefit
ENV CAREFIT_HTTP_ADDR=0.0.0.0:8080
EXPOSE 8080
ENTRYPOINT ["carefit"]
CMD ["serve"]
