#!/usr/bin/env bash
# Runs the suite against a throwaway PostgreSQL cluster of its own (a fresh data dir on a free
# loopback port, its URL in TEST_DATABASE_URL), then stops and removes it, whatever the outcome.
#   bash scripts/test-pg.sh                              the db tier on PostgreSQL
#   bash scripts/test-pg.sh sqlite:all pg:db --jobs 2    CI: both passes, two files at once
# The arguments are scripts/run-tests.mjs's; its exit status is this script's.
set -euo pipefail
cd "$(dirname "$0")/.."
export PG_THROWAWAY_DIR="${PG_THROWAWAY_DIR:-$(mktemp -d /tmp/ipocket-pg-test.XXXXXX)}"
PORT=$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")
URL=$(bash scripts/pg-throwaway.sh start "$PORT")
trap 'bash scripts/pg-throwaway.sh stop' EXIT
# Every file but the Chromium suite, unless arguments name the passes (all, fast, db, e2e, sqlite:TIER, pg:TIER).
if [ $# -eq 0 ]; then set -- db; fi
TEST_DATABASE_URL="$URL" node scripts/run-tests.mjs "$@"
