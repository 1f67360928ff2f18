# syntax=docker/dockerfile:1
# Retorno: one static Go binary (PocketBase + the web app) on a distroless,
# non-root runtime image. Build: docker build -t retorno .
# Run:   docker run -p 8090:8090 -v retorno-data:/pb_data retorno
# CORS is same-origin only and rate limits are on (docs/OPERATIONS.md); to
# allow a web client on another origin, give the image all of serve's flags:
#   docker run ... retorno serve --http=0.0.0.0:8090 --dir=/pb_data --origins=https://other.example.org

FROM golang:1.27-bookworm AS build
# Pin the exact toolchain the project is tested with.
ENV GOTOOLCHAIN=go1.27.3 CGO_ENABLED=0
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN go build -trimpath -ldflags "-s -w" -o /out/retorno . \
 && mkdir -p /out/pb_data

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/retorno /retorno
COPY --from=build --chown=65532:65532 /out/pb_data /pb_data
USER 65532:65532
VOLUME ["/pb_data"]
EXPOSE 8090
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["/retorno", "healthcheck", "--url", "http://127.0.0.1:8090/api/health"]
ENTRYPOINT ["/retorno"]
CMD ["serve", "--http=0.0.0.0:8090", "--dir=/pb_data"]
