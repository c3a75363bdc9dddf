# The whole system in one image: the web UI built with Node, embedded in the Go binary.
FROM node:20-bookworm AS ui
WORKDIR /src/frontend
COPY frontend/package.json frontend/package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY frontend/ ./
RUN npm run build

FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
COPY --from=ui /src/frontend/dist ./frontend/dist
RUN CGO_ENABLED=0 go build -trimpath -o /out/qingdan ./cmd/qingdan

FROM debian:bookworm-slim
RUN useradd --system --home /app qingdan && mkdir -p /app/data && chown qingdan /app/data
WORKDIR /app
COPY --from=build /out/qingdan /usr/local/bin/qingdan
COPY seeds/ ./seeds/
USER qingdan
EXPOSE 8080
ENTRYPOINT ["qingdan"]
CMD ["serve", "--addr", ":8080"]
