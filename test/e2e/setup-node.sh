#!/usr/bin/env bash
# Installs the AWS SDK for JavaScript v3 and playwright-core (which drives
# Debian's chromium for the console tests) used by test/e2e/js (from npm,
# pinned by package-lock.json). Fast when node_modules is already in place.
set -euo pipefail
cd "$(dirname "$0")/js"
if [[ -d node_modules/@aws-sdk/client-s3 && -d node_modules/playwright-core &&
      node_modules/.package-lock.json -nt package-lock.json ]]; then
  exit 0
fi
if [[ -f package-lock.json ]]; then
  npm ci --no-audit --no-fund --loglevel=error
else
  npm install --no-audit --no-fund --loglevel=error
fi
