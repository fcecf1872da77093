# Build: cgo is needed for SQLite.
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=1 go build -trimpath -ldflags="-s -w" -o /out/dangol . && mkdir -p /out/data

# Run: a small glibc image with time zone data and CA certificates.
FROM gcr.io/distroless/base-debian12:nonroot
COPY --from=build /usr/share/zoneinfo /usr/share/zoneinfo
COPY --from=build /out/dangol /usr/local/bin/dangol
COPY --from=build --chown=65532:65532 /out/data /data
VOLUME /data
ENV DANGOL_DB=/data/dangol.db
# glibc's malloc (SQLite's) keeps an arena per thread that calls into C;
# with many chats handled side by side that inflates resident memory.
ENV MALLOC_ARENA_MAX=2
USER nonroot:nonroot
ENTRYPOINT ["/usr/local/bin/dangol"]
