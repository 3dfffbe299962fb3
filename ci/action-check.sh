#!/usr/bin/env bash
# The GitHub Action's check step (action.yml): runs offercheck with the
# action's inputs, taken from the environment as plain data, and sets the
# step's outputs. Runs on bash 3.2 too (macOS runners).
set -eu

paths=()
while IFS= read -r line || [ -n "$line" ]; do
  line="${line%$'\r'}"
  # One path a line; blanks around it are dropped, blanks inside it kept.
  line="${line#"${line%%[![:space:]]*}"}"
  line="${line%"${line##*[![:space:]]}"}"
  [ -n "$line" ] && paths+=("$line")
done <<<"${OFFERCHECK_PATHS:-}"

options=(--fail-on "${OFFERCHECK_FAIL_ON:-error}")
if [ -n "${OFFERCHECK_POLICY:-}" ]; then
  options+=(--policy "$OFFERCHECK_POLICY")
fi
extra=()
# Split at white space only: no quotes, globs or variables are interpreted.
read -r -d '' -a extra <<<"${OFFERCHECK_ARGS:-}" || true

# "--" ends the options, so that a path such as "-x" is a path.
run() {
  offercheck check ${options[@]+"${options[@]}"} ${extra[@]+"${extra[@]}"} "$@" -- ${paths[@]+"${paths[@]}"}
}

sarif="${OFFERCHECK_SARIF:-}"
if [ -n "$sarif" ]; then
  # Its verdict is the same as the annotated run's below, which decides the step.
  run --format sarif --output "$sarif" 2>/dev/null || true
  [ -f "$sarif" ] || sarif=""
fi

code=0
run --format github || code=$?

ready=false
[ "$code" -eq 0 ] && ready=true
{
  echo "ready=$ready"
  echo "exit-code=$code"
  echo "sarif-file=$sarif"
} >>"${GITHUB_OUTPUT:-/dev/null}"
exit "$code"
