#!/usr/bin/env bash
# Runs the whole suite against a throwaway PostgreSQL cluster on a loopback port, then stops it.
set -euo pipefail
cd "$(dirname "$0")/.."
URL=$(bash scripts/pg-throwaway.sh start)
trap 'bash scripts/pg-throwaway.sh stop' EXIT
TEST_DATABASE_URL="$URL" npm test
