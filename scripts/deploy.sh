#!/usr/bin/env bash
# Deploys the Sales Assembly Line package source to an org and sets the org up:
#   1. sf project deploy start --source-dir force-app
#   2. sf org assign permset: ASL_Engine_Integration to the integration user, role sets to people
#   3. asl line load: stations then rules from a line file, upserted by Key__c
#
# Usage: scripts/deploy.sh --target-org ALIAS [--integration-user USERNAME]
#          [--assign PERMSET=user1,user2]... [--line config/default-line.json] [--no-line] [--dry-run]
# The admin is logged in with the Salesforce CLI first: sf org login web --alias ALIAS
# --dry-run prints the commands without running them.
set -euo pipefail
cd "$(dirname "$0")/.."

SF=node_modules/.bin/sf
TSX=node_modules/.bin/tsx
ORG=""
INTEGRATION_USER=""
LINE=config/default-line.json
LOAD_LINE=1
DRY_RUN=0
ASSIGN=()

die() { echo "deploy.sh: $*" >&2; exit 2; }
run() {
  echo "+ $*"
  if [ "$DRY_RUN" -eq 0 ]; then "$@"; fi
}

while [ $# -gt 0 ]; do
  case "$1" in
    --target-org) ORG="${2:-}"; shift 2 ;;
    --integration-user) INTEGRATION_USER="${2:-}"; shift 2 ;;
    --assign) ASSIGN+=("${2:-}"); shift 2 ;;
    --line) LINE="${2:-}"; shift 2 ;;
    --no-line) LOAD_LINE=0; shift ;;
    --dry-run) DRY_RUN=1; shift ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    *) die "unknown option $1 (see --help)" ;;
  esac
done
[ -n "$ORG" ] || die "--target-org is required (an alias from: sf org login web --alias ALIAS)"
[ -f "$LINE" ] || [ "$LOAD_LINE" -eq 0 ] || die "no line file $LINE (pass --line FILE or --no-line)"

run "$SF" project deploy start --source-dir force-app --target-org "$ORG" --wait 30

if [ -n "$INTEGRATION_USER" ]; then
  run "$SF" org assign permset --name ASL_Engine_Integration --on-behalf-of "$INTEGRATION_USER" --target-org "$ORG"
fi

for entry in "${ASSIGN[@]}"; do
  name="${entry%%=*}"
  users="${entry#*=}"
  [ -n "$name" ] && [ "$users" != "$entry" ] && [ -n "$users" ] || die "--assign wants PERMSET=user1,user2 (got $entry)"
  [ "$name" != "ASL_Engine_Integration" ] || die "assign ASL_Engine_Integration with --integration-user: it belongs to the integration user only"
  args=()
  IFS=',' read -r -a list <<< "$users"
  for user in "${list[@]}"; do args+=(--on-behalf-of "$user"); done
  run "$SF" org assign permset --name "$name" "${args[@]}" --target-org "$ORG"
done

if [ "$LOAD_LINE" -eq 1 ]; then
  run "$TSX" services/engine/cli/asl.ts line load --org "sf:$ORG" --file "$LINE"
fi
echo "Deployed to $ORG. Next: asl connect (see docs/admin-setup.md), then asl doctor."
