#!/usr/bin/env bash
# Runs the whole suite against a throwaway PostgreSQL cluster of its own (a fresh data dir on
# a free loopback port), then stops and removes it, whatever the outcome.
set -euo pipefail
cd "$(dirname "$0")/.."
export PG_THROWAWAY_DIR="${PG_THROWAWAY_DIR:-$(mktemp -d /tmp/ipocket-pg-test.XXXXXX)}"
PORT=$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")
URL=$(bash scripts/pg-throwaway.sh start "$PORT")
trap 'bash scripts/pg-throwaway.sh stop' EXIT
# Every file but the Chromium suite, unless a tier is named (all, fast, db, e2e).
TEST_DATABASE_URL="$URL" node scripts/run-tests.mjs "${1:-db}"
