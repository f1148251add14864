# Build:  docker build -t triagebot .
# Run:    docker run -d --name triagebot -e DISCORD_TOKEN=… -v triagebot-data:/data -p 127.0.0.1:9090:9090 triagebot
# Your own config: -v "$PWD/config.yaml:/etc/triagebot/config.yaml:ro" (keep data_dir: /data).
FROM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
# timetzdata embeds the zone database, so `timezone:` works in a bare image.
RUN CGO_ENABLED=0 go build -trimpath -tags timetzdata -o /out/triagebot ./cmd/triagebot \
 && sed 's|^data_dir: data$|data_dir: /data|' config.yaml > /out/config.yaml

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/triagebot /usr/local/bin/triagebot
COPY --from=build /out/config.yaml /etc/triagebot/config.yaml
VOLUME /data
EXPOSE 9090
ENTRYPOINT ["/usr/local/bin/triagebot", "-config", "/etc/triagebot/config.yaml"]
CMD ["run", "-http", ":9090"]
