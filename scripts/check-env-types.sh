#!/usr/bin/env bash
# Fails when worker/worker-configuration.d.ts no longer matches wrangler.toml (run `npm run
# cf-typegen`). `wrangler types --check` is not used: it ignores --env-file and reads .dev.vars.
set -euo pipefail
fresh=worker/.env-check.d.ts
trap 'rm -f "$fresh"' EXIT
node_modules/.bin/wrangler types "$fresh" --include-runtime=false --strict-vars=false --env-file .dev.vars.example >/dev/null
# The first two lines name the output path and a hash of it; compare what follows.
if ! diff <(tail -n +3 "$fresh") <(tail -n +3 worker/worker-configuration.d.ts); then
  echo "worker/worker-configuration.d.ts is out of date: run npm run cf-typegen" >&2
  exit 1
fi
