# shellcheck shell=bash
# Common setup of the script tests: stub CLIs on PATH, a test .env, and assertions on the calls.
# shellcheck disable=SC2034 # used by the test files
REPO="$(cd "$BATS_TEST_DIRNAME/../.." && pwd)"
CONTEXT="trade-tx@us-east-1"
STUBBED=(aws kubectl terraform helm docker curl git)

setup_stubs() {
  export STUB_LOG="$BATS_TEST_TMPDIR/calls.log"
  export STUB_RULES="$BATS_TEST_TMPDIR/test.rules"
  export STUB_DEFAULT_RULES="$BATS_TEST_DIRNAME/default.rules"
  : >"$STUB_LOG"
  : >"$STUB_RULES"
  STUB_BIN="$BATS_TEST_TMPDIR/stub-bin"
  mkdir -p "$STUB_BIN"
  local tool
  for tool in "${STUBBED[@]}"; do
    ln -sf "$BATS_TEST_DIRNAME/stub" "$STUB_BIN/$tool"
  done
  export PATH="$STUB_BIN:$PATH"
  export TMPDIR="$BATS_TEST_TMPDIR"
  export ENV_FILE="$BATS_TEST_TMPDIR/test.env"
  unset DRY_RUN EKS_PUBLIC_ACCESS_CIDRS IMAGE_TAG ALLOW_DIRTY KAFKA_TOPIC DLQ_TOPIC K8S_NAMESPACE
  # What deploy-infra.sh writes after a successful apply (no real names: .invalid hosts).
  cat >"$ENV_FILE" <<'EOF_ENV'
AWS_REGION=us-east-1
CLUSTER_NAME=trade-tx
KAFKA_BOOTSTRAP_SERVERS=b-1.example.invalid:9098,b-2.example.invalid:9098
ECR_REPOSITORY_URL_PRODUCER=registry.example.invalid/trade-tx-producer
ECR_REPOSITORY_URL_CONSUMER=registry.example.invalid/trade-tx-consumer
EOF_ENV
}

# A PATH holding the stubs and every system command except the named ones (tools "not installed").
path_without() {
  local dir="$BATS_TEST_TMPDIR/path-without" f name
  local -A skip=() seen=()
  local targets=()
  for name in "$@" "${STUBBED[@]}"; do skip[$name]=1; done
  mkdir -p "$dir"
  for f in /usr/local/bin/* /usr/bin/* /bin/*; do
    name="${f##*/}"
    [[ -n "${skip[$name]:-}" || -n "${seen[$name]:-}" ]] && continue
    seen[$name]=1
    targets+=("$f")
  done
  ln -s "${targets[@]}" "$dir/"
  for name in "${STUBBED[@]}"; do
    [[ " $* " == *" $name "* ]] || ln -s "$BATS_TEST_DIRNAME/stub" "$dir/$name"
  done
  printf '%s' "$dir"
}

rule() { printf '%s\n' "$1" >>"$STUB_RULES"; }
setting() { printf '%s\n' "$1" >>"$ENV_FILE"; }

# Fails (printing the calls) unless some logged call matches the extended regex.
assert_called() {
  grep -qE -- "$1" "$STUB_LOG" || {
    printf 'no call matches: %s\ncalls:\n' "$1" >&2
    cat "$STUB_LOG" >&2
    return 1
  }
}
refute_called() {
  if grep -nE -- "$1" "$STUB_LOG" >&2; then
    printf 'unexpected call(s) above match: %s\n' "$1" >&2
    return 1
  fi
}

# Every kubectl call that reaches a cluster, and every helm call, names the project's context.
# (`kubectl config ...` only reads or edits the local kubeconfig.)
assert_context_pinned() {
  local bad
  bad="$(grep -E '^(kubectl|helm) ' "$STUB_LOG" | grep -vE '^kubectl config ' |
    grep -vE -- "^(kubectl|helm) --(context|kube-context) $CONTEXT " || true)"
  [[ -z "$bad" ]] || {
    printf 'calls without --context %s:\n%s\n' "$CONTEXT" "$bad" >&2
    return 1
  }
}

# Every logged call only reads: what a dry run may do.
assert_read_only() {
  local bad
  bad="$(grep -vE -- "^(aws (sts get-caller-identity|eks describe-cluster|ecr describe-images|iam get-role) |kubectl config (get-contexts|current-context|view)|kubectl --context $CONTEXT (--namespace [^ ]+ )?get |git -C [^ ]+ (rev-parse|status) |curl )" "$STUB_LOG" || true)"
  [[ -z "$bad" ]] || {
    printf 'calls that change something in a dry run:\n%s\n' "$bad" >&2
    return 1
  }
}
