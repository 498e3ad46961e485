# shellcheck shell=bash
# Shared helpers of deploy-infra.sh, deploy-consumer.sh, deploy-producer.sh and destroy.sh.
# Sourced, never run. Callers set `set -euo pipefail` themselves.
#
# Conventions:
#   DRY_RUN=1     every command that changes AWS, Kubernetes, Docker, the kubeconfig or .env goes through
#                 `run`, which then only prints it. Read-only queries (describe, get, git rev-parse)
#                 still run, so a dry run shows the path the real run would take.
#   ENV_FILE      the settings file (default: <repo>/.env), read after .env.example.
#   KUBE_CONTEXT  derived (never the current context): every kubectl call names it with --context.

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ENV_EXAMPLE="$ROOT/.env.example"
ENV_FILE="${ENV_FILE:-$ROOT/.env}"
K8S_DIR="$ROOT/k8s"
export TF_DIR="$ROOT/infra-tf"
DRY_RUN="${DRY_RUN:-0}"
# The label every object in k8s/ carries; clean-up selects by it instead of repeating names.
PART_OF_LABEL="app.kubernetes.io/part-of=trade-tx"
# Names the manifests may hold besides the settings of .env.example: derive_settings (and, for the
# KEDA reader's role ARN, resolve_keda_reader_role) fills them.
DERIVED_SETTINGS=(DLQ_TOPIC TENANT KEDA_READER_ROLE_ARN QUOTA_PODS QUOTA_CPU QUOTA_MEMORY)
# The tenant of a deployment without TENANTS: it keeps the names a single-tenant deployment always had.
SINGLE_TENANT=default
# Settings a tenant may override with TENANT_<NAME>_<SETTING> (see select_tenant).
TENANT_SETTINGS=(K8S_NAMESPACE KAFKA_TOPIC DLQ_TOPIC CONSUMER_GROUP TOPIC_PARTITIONS TOPIC_REPLICATION_FACTOR
  MESSAGES_PER_SECOND BATCH_SIZE BATCH_TIMEOUT_SECONDS BATCH_PROCESSING_TIME MESSAGE_PROCESSING_TIME
  SHUTDOWN_GRACE_PERIOD_SECONDS GROUP_PROTOCOL LAG_THRESHOLD ACTIVATION_LAG_THRESHOLD RATE_THRESHOLD MAX_REPLICAS
  POLLING_INTERVAL COOLDOWN_PERIOD QUOTA_HEADROOM_PODS CONSUMER_CPU_REQUEST CONSUMER_MEMORY
  PRODUCER_CPU_REQUEST PRODUCER_MEMORY)
# The manifests a tenant's namespace gets besides the apps' (never applied without --tenant).
TENANT_ISOLATION_MANIFESTS=(tenant/networkpolicy.yaml tenant/resourcequota.yaml tenant/limitrange.yaml)
# The cluster-wide manifests deploy-infra.sh applies once per cluster, before any tenant's.
# shellcheck disable=SC2034 # used by deploy-infra.sh
CLUSTER_MANIFESTS=(cluster/keda-trigger-auth-policy.yaml)

info() { printf '==> %s\n' "$*" >&2; }
warn() { printf 'WARNING: %s\n' "$*" >&2; }
die() {
  printf 'ERROR: %s\n' "$*" >&2
  exit 1
}

# Prints a command shell-quoted, prefixed with "+ " (dry run: "[dry-run] ").
print_cmd() {
  local prefix="$1"
  shift
  local out="" arg
  for arg in "$@"; do
    out+=" $(printf '%q' "$arg")"
  done
  printf '%s%s\n' "$prefix" "$out" >&2
}

# Runs a command that changes something, or only prints it in dry-run mode.
run() {
  if [[ "$DRY_RUN" == 1 ]]; then
    print_cmd "[dry-run]" "$@"
    return 0
  fi
  print_cmd "+" "$@"
  "$@"
}

# Runs a read-only command (also in dry-run mode); its output is the caller's.
query() {
  print_cmd "+" "$@"
  "$@"
}

# Like run, for a pipeline or redirection given as one string (printed as is).
run_sh() {
  if [[ "$DRY_RUN" == 1 ]]; then
    printf '[dry-run] %s\n' "$1" >&2
    return 0
  fi
  printf '+ %s\n' "$1" >&2
  bash -o pipefail -c "$1"
}

# Parses the options every script shares. Sets DRY_RUN and TENANT_ARG (--tenant NAME); prints usage
# (from the caller's `usage` function) on --help; leaves the other arguments in the global array ARGS.
ARGS=()
TENANT_ARG=""
parse_common_args() {
  ARGS=()
  TENANT_ARG=""
  while (($#)); do
    case "$1" in
      --dry-run) DRY_RUN=1 ;;
      --tenant)
        [[ $# -ge 2 && -n "$2" && "$2" != -* ]] || die "--tenant needs a NAME (one of TENANTS in .env)"
        TENANT_ARG="$2"
        shift
        ;;
      --tenant=*)
        TENANT_ARG="${1#--tenant=}"
        [[ -n "$TENANT_ARG" ]] || die "--tenant needs a NAME (one of TENANTS in .env)"
        ;;
      -h | --help)
        usage
        exit 0
        ;;
      --)
        shift
        ARGS+=("$@")
        break
        ;;
      *) ARGS+=("$1") ;;
    esac
    shift
  done
  if [[ "$DRY_RUN" == 1 ]]; then
    info "dry run: printing the commands that would change AWS, Kubernetes, Docker or .env instead of running them"
  fi
}

# Checks that each tool is on PATH, with one message per missing tool; fatal unless dry run.
require_tools() {
  local missing=0 tool hint
  for tool in "$@"; do
    command -v "$tool" >/dev/null 2>&1 && continue
    case "$tool" in
      aws) hint="install the AWS CLI v2 (https://docs.aws.amazon.com/cli/) and run 'aws configure'" ;;
      terraform) hint="install Terraform >= 1.5 (https://developer.hashicorp.com/terraform/install)" ;;
      kubectl) hint="install kubectl (https://kubernetes.io/docs/tasks/tools/)" ;;
      docker) hint="install Docker (with buildx) and start the daemon" ;;
      curl) hint="install curl (or set EKS_PUBLIC_ACCESS_CIDRS in .env)" ;;
      git) hint="install git" ;;
      *) hint="install it" ;;
    esac
    if [[ "$DRY_RUN" == 1 ]]; then
      warn "'$tool' is not installed: $hint (ignored in dry run)"
    else
      printf 'ERROR: %s is required but not installed: %s\n' "$tool" "$hint" >&2
    fi
    missing=1
  done
  if [[ "$missing" == 1 && "$DRY_RUN" != 1 ]]; then
    exit 1
  fi
  return 0
}

# Names of all settings: the keys of .env.example, in order.
env_keys() {
  grep -E '^[A-Z_][A-Z0-9_]*=' "$ENV_EXAMPLE" | cut -d= -f1
}

# --- settings ------------------------------------------------------------------------------------
# The one grammar of .env.example and .env, documented in the header of .env.example (DeploySettings
# in trade-tx-local reads the same; EnvGrammarTest runs both on the same lines):
#   - blank lines and lines starting with # are ignored; `export ` before a name is allowed
#   - NAME=VALUE, NAME a shell variable name; spaces around the line, the name and the value are dropped
#   - a value in "double" or 'single' quotes (up to the same quote, then nothing or a # comment) is
#     taken literally without its quotes
#   - otherwise " #" starts a comment: `BATCH_SIZE=100 # records` is 100
# Lines are parsed, never sourced: no command substitution or expansion runs.
parse_env_line() { # parse_env_line LINE -> sets ENV_LINE_KEY/ENV_LINE_VALUE; 1 = skip, 2 = bad line
  local line="$1" value quote inner after
  line="${line#"${line%%[![:space:]]*}"}"
  line="${line%"${line##*[![:space:]]}"}"
  [[ -z "$line" || "$line" == \#* ]] && return 1
  if [[ "$line" == "export "* ]]; then
    line="${line#export }"
    line="${line#"${line%%[![:space:]]*}"}"
  fi
  [[ "$line" =~ ^([A-Za-z_][A-Za-z0-9_]*)[[:space:]]*=(.*)$ ]] || return 2
  ENV_LINE_KEY="${BASH_REMATCH[1]}"
  value="${BASH_REMATCH[2]}"
  value="${value#"${value%%[![:space:]]*}"}"
  quote="${value:0:1}"
  if [[ ("$quote" == \" || "$quote" == \') && "${value:1}" == *"$quote"* ]]; then
    inner="${value:1}"
    after="${inner#*"$quote"}"
    inner="${inner%%"$quote"*}"
    after="${after#"${after%%[![:space:]]*}"}"
    if [[ -z "$after" || "$after" == \#* ]]; then
      ENV_LINE_VALUE="$inner"
      return 0
    fi
  fi
  if [[ "$value" == *" #"* ]]; then
    value="${value%%" #"*}"
  fi
  value="${value%"${value##*[![:space:]]}"}"
  ENV_LINE_VALUE="$value"
  return 0
}

# Loads .env.example, then ENV_FILE on top, exports every setting, reads TENANTS (parse_tenants) and
# derives the names built from the settings (derive_settings). A script that acts on one tenant then
# calls select_tenant.
FILE_KEYS=()
load_env() {
  [[ -f "$ENV_EXAMPLE" ]] || die "$ENV_EXAMPLE is missing"
  local file line n rc
  FILE_KEYS=()
  for file in "$ENV_EXAMPLE" "$ENV_FILE"; do
    [[ -f "$file" ]] || continue
    n=0
    while IFS= read -r line || [[ -n "$line" ]]; do
      n=$((n + 1))
      rc=0
      parse_env_line "$line" || rc=$?
      case "$rc" in
        0)
          export "$ENV_LINE_KEY=$ENV_LINE_VALUE"
          FILE_KEYS+=("$ENV_LINE_KEY")
          ;;
        1) ;;
        *) die "$file:$n: not a NAME=VALUE line: $line" ;;
      esac
    done <"$file"
  done
  if [[ ! -f "$ENV_FILE" ]]; then
    warn "$ENV_FILE does not exist; using the defaults of .env.example (deploy-infra.sh creates it)"
  fi
  parse_tenants
  derive_settings
  # Every tenant's settings are checked now, whichever one the script acts on.
  if ((${#TENANT_LIST[@]})); then
    tenants_hcl >/dev/null || exit 1
  fi
}

# The one place where names are derived from settings; Terraform (-var), the manifests and the
# kubectl calls all take them from here.
derive_settings() {
  export TENANT="${TENANT:-$SINGLE_TENANT}"
  local who=""
  [[ "$TENANT" == "$SINGLE_TENANT" ]] || who="tenant $TENANT: "
  # The dead-letter topic: the consumer's own default rule, written out so Terraform grants exactly it.
  export DLQ_TOPIC="${DLQ_TOPIC:-${KAFKA_TOPIC}.dlq}"
  [[ "$KAFKA_TOPIC" =~ ^[A-Za-z0-9._-]{1,249}$ ]] ||
    die "${who}KAFKA_TOPIC=$KAFKA_TOPIC is invalid: must be a Kafka topic name (letters, digits, . _ -)"
  [[ "$DLQ_TOPIC" =~ ^[A-Za-z0-9._-]{1,249}$ && "$DLQ_TOPIC" != "$KAFKA_TOPIC" ]] ||
    die "${who}DLQ_TOPIC=$DLQ_TOPIC is invalid: must be a Kafka topic name other than KAFKA_TOPIC"
  [[ "$K8S_NAMESPACE" =~ ^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$ ]] ||
    die "${who}K8S_NAMESPACE=$K8S_NAMESPACE is invalid: must be a DNS label (lower-case letters, digits, dashes)"
  # The kube context of the project's cluster: created by `aws eks update-kubeconfig --alias`.
  export KUBE_CONTEXT="${CLUSTER_NAME}@${AWS_REGION}"
  # IAM roles <prefix>-producer, -consumer, -keda-reader (Terraform names them from the tenants map).
  if [[ "$TENANT" == "$SINGLE_TENANT" ]]; then
    export IAM_ROLE_PREFIX="$PROJECT_NAME"
  else
    export IAM_ROLE_PREFIX="$PROJECT_NAME-$TENANT"
  fi
  export KEDA_READER_ROLE_NAME="$IAM_ROLE_PREFIX-keda-reader"
  export KEDA_READER_ROLE_ARN="${KEDA_READER_ROLE_ARN:-}"
  derive_quota "$who"
}

# The tenant's ResourceQuota, from its consumer ceiling and the pods' requests (docs/aws.md):
#   consumer pods = MAX_REPLICAS + 1 (the rolling update's surge) + QUOTA_HEADROOM_PODS (pods still
#                   terminating within their grace period while their replacements start)
#   pods          = consumer pods + 1 (the producer)
#   requests.cpu  = consumer pods x CONSUMER_CPU_REQUEST + PRODUCER_CPU_REQUEST
#   memory        = consumer pods x CONSUMER_MEMORY + PRODUCER_MEMORY (requests = limits)
derive_quota() {
  local who="$1" name
  for name in MAX_REPLICAS QUOTA_HEADROOM_PODS; do
    [[ "${!name}" =~ ^[0-9]{1,4}$ ]] || die "${who}$name=${!name} is invalid: must be an integer from 0 to 9999"
  done
  for name in CONSUMER_CPU_REQUEST PRODUCER_CPU_REQUEST; do
    [[ "${!name}" =~ ^[1-9][0-9]{0,5}m$ ]] || die "${who}$name=${!name} is invalid: must be millicores such as 250m"
  done
  for name in CONSUMER_MEMORY PRODUCER_MEMORY; do
    [[ "${!name}" =~ ^[1-9][0-9]{0,5}Mi$ ]] || die "${who}$name=${!name} is invalid: must be MiB such as 384Mi"
  done
  local consumers=$((10#$MAX_REPLICAS + 1 + 10#$QUOTA_HEADROOM_PODS))
  export QUOTA_PODS=$((consumers + 1))
  export QUOTA_CPU="$((consumers * ${CONSUMER_CPU_REQUEST%m} + ${PRODUCER_CPU_REQUEST%m}))m"
  export QUOTA_MEMORY="$((consumers * ${CONSUMER_MEMORY%Mi} + ${PRODUCER_MEMORY%Mi}))Mi"
}

# --- tenants -------------------------------------------------------------------------------------
# Tenants are declared once, in the settings files:
#   TENANTS=acme,globex                  the tenants (1-20 lower-case letters, digits, dashes; not
#                                        "default", the name of the deployment without tenants)
#   TENANT_ACME_LAG_THRESHOLD=2000       a setting of TENANT_SETTINGS for one tenant: TENANT_, the name
#                                        upper-cased with - as _, _, the setting
# Without TENANTS nothing changes: one tenant, "default", with the names of .env. With TENANTS, each
# tenant's names are derived (namespace <PROJECT_NAME>-<name>, topic <KAFKA_TOPIC>-<name>, group
# <CONSUMER_GROUP>-<name>, dead-letter topic <its topic>.dlq) unless its own settings name them.
# DeploySettings/TenantDeploySettings in trade-tx-local read the same (EnvGrammarTest).
TENANT_LIST=()

tenant_key() { # tenant_key NAME -> the NAME part of TENANT_<NAME>_<SETTING> (bash 3.2: no ${1^^})
  printf '%s' "$1" | tr '[:lower:]-' '[:upper:]_'
}

# Reads TENANTS into TENANT_LIST and checks that every TENANT_* line of the settings files names a
# declared tenant and a setting of TENANT_SETTINGS, unambiguously.
parse_tenants() {
  TENANT_LIST=()
  local parts=() name seen=" "
  IFS=',' read -r -a parts <<<"${TENANTS:-}"
  for name in "${parts[@]+"${parts[@]}"}"; do
    name="${name//[[:space:]]/}"
    [[ -z "$name" ]] && continue
    [[ "$name" =~ ^[a-z]([a-z0-9-]{0,18}[a-z0-9])?$ ]] ||
      die "TENANTS: '$name' is not a tenant name: 1-20 lower-case letters, digits and dashes, starting with a letter"
    [[ "$name" != "$SINGLE_TENANT" ]] ||
      die "TENANTS: '$SINGLE_TENANT' is reserved for the deployment without tenants"
    [[ "$seen" != *" $name "* ]] || die "TENANTS: '$name' is listed twice"
    seen+="$name "
    TENANT_LIST+=("$name")
  done
  # " TENANT_<KEY>_<SETTING>=<tenant> ..." (no associative arrays: the scripts also run on bash 3.2)
  local owners=" " tenant setting full key previous
  for tenant in "${TENANT_LIST[@]+"${TENANT_LIST[@]}"}"; do
    key="$(tenant_key "$tenant")"
    for setting in "${TENANT_SETTINGS[@]}"; do
      full="TENANT_${key}_$setting"
      if [[ "$owners" == *" $full="* ]]; then
        previous="${owners#* "$full"=}"
        die "$full is ambiguous: tenants ${previous%% *} and $tenant both spell it; rename one of them"
      fi
      owners+="$full=$tenant "
    done
  done
  for key in "${FILE_KEYS[@]+"${FILE_KEYS[@]}"}"; do
    [[ "$key" == TENANT_* && "$owners" != *" $key="* ]] || continue
    die "$key is not a per-tenant setting: use TENANT_<NAME>_<SETTING>, NAME one of TENANTS (${TENANTS:-empty}) upper-cased with - as _, SETTING one of ${TENANT_SETTINGS[*]}"
  done
}

tenant_declared() { [[ " ${TENANT_LIST[*]+"${TENANT_LIST[*]}"} " == *" $1 "* ]]; }

# Makes NAME the tenant the rest of the script acts on: the tenant's derived names, then its
# TENANT_<NAME>_<SETTING> values, replace the global settings. An empty NAME is the deployment
# without tenants, which only exists while TENANTS is empty.
select_tenant() {
  local name="$1" setting var key
  if [[ -z "$name" ]]; then
    ((${#TENANT_LIST[@]} == 0)) ||
      die "TENANTS is set ($TENANTS): name the tenant with --tenant NAME (one of: ${TENANT_LIST[*]})"
    export TENANT="$SINGLE_TENANT"
    derive_settings
    return 0
  fi
  ((${#TENANT_LIST[@]})) || die "--tenant $name: no tenants are declared (TENANTS is empty in $(basename "$ENV_FILE"))"
  tenant_declared "$name" || die "--tenant $name: unknown tenant; TENANTS declares: ${TENANT_LIST[*]}"
  key="$(tenant_key "$name")"
  export TENANT="$name"
  export K8S_NAMESPACE="$PROJECT_NAME-$name" KAFKA_TOPIC="$KAFKA_TOPIC-$name" CONSUMER_GROUP="$CONSUMER_GROUP-$name"
  export DLQ_TOPIC="" KEDA_READER_ROLE_ARN=""
  for setting in "${TENANT_SETTINGS[@]}"; do
    var="TENANT_${key}_$setting"
    if [[ -n "${!var+x}" ]]; then
      export "$setting=${!var}"
    fi
  done
  case "$K8S_NAMESPACE" in
    default | kube-system | kube-public | kube-node-lease | "${MONITORING_NAMESPACE:-monitoring}" | keda)
      die "tenant $name: K8S_NAMESPACE=$K8S_NAMESPACE is shared; a tenant needs a namespace of its own (its NetworkPolicies deny everything else)"
      ;;
  esac
  derive_settings
}

# Prints VALUE as an HCL string literal.
hcl_string() {
  local v="$1"
  v="${v//\\/\\\\}"
  v="${v//\"/\\\"}"
  v="${v//\$\{/\$\$\{}"
  v="${v//%\{/%%\{}"
  printf '"%s"' "$v"
}

# One tenant's entry of Terraform's `tenants` map (after select_tenant).
tenant_hcl_entry() {
  printf '%s={namespace=%s,topic=%s,dead_letter_topic=%s,consumer_group=%s,partitions=%s,replication_factor=%s,iam_role_prefix=%s}' \
    "$(hcl_string "$TENANT")" "$(hcl_string "$K8S_NAMESPACE")" "$(hcl_string "$KAFKA_TOPIC")" \
    "$(hcl_string "$DLQ_TOPIC")" "$(hcl_string "$CONSUMER_GROUP")" "$((10#$TOPIC_PARTITIONS))" \
    "$((10#$TOPIC_REPLICATION_FACTOR))" "$(hcl_string "$IAM_ROLE_PREFIX")"
}

# Terraform's `tenants` variable as HCL: every declared tenant (or the single one), each with its own
# names; refuses two tenants sharing a namespace, topic or group.
tenants_hcl() {
  local names=("") tenant entry list="" seen=" " n
  if ((${#TENANT_LIST[@]})); then
    names=("${TENANT_LIST[@]}")
  fi
  for tenant in "${names[@]}"; do
    entry="$(
      select_tenant "$tenant"
      for setting in TOPIC_PARTITIONS TOPIC_REPLICATION_FACTOR; do
        [[ "${!setting}" =~ ^[1-9][0-9]{0,4}$ ]] || die "tenant $TENANT: $setting=${!setting} is invalid: must be a positive integer"
      done
      printf '%s\t%s\t%s\t%s\t%s\n' "$K8S_NAMESPACE" "$KAFKA_TOPIC" "$DLQ_TOPIC" "$CONSUMER_GROUP" "$TENANT"
      tenant_hcl_entry
    )" || return 1
    local ns topic dlq group who
    IFS=$'\t' read -r ns topic dlq group who <<<"${entry%%$'\n'*}"
    for n in "namespace:$ns" "topic:$topic" "topic:$dlq" "group:$group"; do
      [[ "$seen" != *" $n "* ]] || die "tenant $who shares the ${n%%:*} ${n#*:} with another tenant: every tenant needs its own"
      seen+="$n "
    done
    list+="${list:+,}${entry#*$'\n'}"
  done
  printf '{%s}' "$list"
}

# Creates ENV_FILE from .env.example when it is missing.
ensure_env_file() {
  [[ -f "$ENV_FILE" ]] && return 0
  if [[ "$DRY_RUN" == 1 ]]; then
    printf '[dry-run] cp %q %q\n' "$ENV_EXAMPLE" "$ENV_FILE" >&2
    return 0
  fi
  cp "$ENV_EXAMPLE" "$ENV_FILE"
  info "created $ENV_FILE from .env.example"
}

# Sets KEY=VALUE in ENV_FILE: replaces the line in place, or appends it. Also exports it.
env_set() {
  local key="$1" value="$2" tmp
  export "$key=$value"
  if [[ "$DRY_RUN" == 1 ]]; then
    printf '[dry-run] set %s=%s in %s\n' "$key" "$value" "$ENV_FILE" >&2
    return 0
  fi
  [[ -f "$ENV_FILE" ]] || ensure_env_file
  tmp="$(mktemp "${ENV_FILE}.XXXXXX")"
  awk -v k="$key" -v v="$value" '
    BEGIN { done = 0 }
    $0 ~ "^(export[ \t]+)?" k "=" { print k "=" v; done = 1; next }
    { print }
    END { if (!done) print k "=" v }
  ' "$ENV_FILE" >"$tmp"
  mv "$tmp" "$ENV_FILE"
  info "set $key in $(basename "$ENV_FILE")"
}

# Validates that a setting is a non-negative integer.
require_int() {
  local name="$1" value="${!1:-}"
  [[ "$value" =~ ^[0-9]+$ ]] || die "$name must be a non-negative integer, got '$value'"
}

# --- manifests -----------------------------------------------------------------------------------
# Renders k8s/<file> to stdout: each ${NAME} whose NAME is a setting of .env.example (or a derived
# one) becomes its value, in one pass; anything else is left as it is (render_to_file reports it).
render_manifest() {
  local file="$K8S_DIR/$1"
  [[ -f "$file" ]] || die "no manifest $file"
  local names rest out="" name
  names=" $(env_keys | tr '\n' ' ')${DERIVED_SETTINGS[*]} "
  rest="$(cat "$file"; printf x)"
  rest="${rest%x}"
  while [[ "$rest" =~ \$\{([A-Za-z_][A-Za-z0-9_]*)\} ]]; do
    name="${BASH_REMATCH[1]}"
    out+="${rest%%"${BASH_REMATCH[0]}"*}"
    rest="${rest#*"${BASH_REMATCH[0]}"}"
    if [[ "$names" == *" $name "* ]]; then
      out+="${!name-}"
    else
      out+="\${$name}"
    fi
  done
  printf '%s' "$out$rest"
}

# Renders the given manifests into one file in a fresh temp directory; prints its path.
render_to_file() {
  local dir out f
  dir="$(mktemp -d "${TMPDIR:-/tmp}/trade-tx-k8s.XXXXXX")"
  out="$dir/rendered.yaml"
  for f in "$@"; do
    printf -- '---\n# Source: k8s/%s\n' "$f" >>"$out"
    render_manifest "$f" >>"$out"
  done
  if grep -nE '\$\{[A-Za-z_][A-Za-z0-9_]*\}' "$out" >&2; then
    die "placeholders above are not settings of .env.example"
  fi
  printf '%s' "$out"
}

# --- images --------------------------------------------------------------------------------------
# Resolves IMAGE_TAG=auto to the commit (12 hex digits). ECR tags are immutable, so an image tag
# names exactly one commit: a work tree with uncommitted changes is refused unless ALLOW_DIRTY=1,
# which tags <commit>-dirty-<UTC time> instead.
resolve_image_tag() {
  if [[ "${IMAGE_TAG:-auto}" != "auto" && -n "${IMAGE_TAG:-}" ]]; then
    info "image tag: $IMAGE_TAG (IMAGE_TAG in $(basename "$ENV_FILE"))"
    return 0
  fi
  local sha dirty
  sha="$(query git -C "$ROOT" rev-parse --short=12 HEAD)" ||
    die "cannot read the git commit of $ROOT: images are tagged by commit (or set IMAGE_TAG in .env)"
  dirty="$(query git -C "$ROOT" status --porcelain --untracked-files=no)" || die "git status failed in $ROOT"
  if [[ -n "$dirty" ]]; then
    if [[ "${ALLOW_DIRTY:-0}" == 1 ]]; then
      sha+="-dirty-$(date -u +%Y%m%dT%H%M%SZ)"
      warn "the work tree has uncommitted changes: tagging the image $sha (--allow-dirty)"
    elif [[ "$DRY_RUN" == 1 ]]; then
      warn "the work tree has uncommitted changes: a real run stops here (commit, or pass --allow-dirty)"
    else
      die "the work tree has uncommitted changes; images are tagged by commit: commit them, or pass --allow-dirty"
    fi
  fi
  export IMAGE_TAG="$sha"
  info "image tag: $IMAGE_TAG"
}

require_ecr_settings() {
  local var
  for var in ECR_REPOSITORY_URL_PRODUCER ECR_REPOSITORY_URL_CONSUMER KAFKA_BOOTSTRAP_SERVERS; do
    if [[ -z "${!var:-}" || ("$var" == ECR_* && "${!var}" != */*) ]]; then
      if [[ "$DRY_RUN" == 1 ]]; then
        warn "$var is not set by deploy-infra.sh yet (ignored in dry run)"
      else
        die "$var is not set in $ENV_FILE: run ./deploy-infra.sh first"
      fi
    fi
  done
}

# True when REPO_URL:TAG already exists in ECR (read-only query).
image_exists() {
  local repo="$1" tag="$2"
  [[ "$repo" == */* ]] || return 1
  query aws ecr describe-images --region "$AWS_REGION" --repository-name "${repo#*/}" \
    --image-ids "imageTag=$tag" --query 'imageDetails[0].imageTags' --output text >/dev/null 2>&1
}

# Builds the image of one app (producer|consumer) from the repository root and pushes it, unless
# that tag is already in ECR (tags are immutable: the same commit is never built twice).
build_and_push() {
  local app="$1" repo="$2"
  local image="$repo:$IMAGE_TAG" registry="${2%%/*}"
  if image_exists "$repo" "$IMAGE_TAG"; then
    info "$image is already in ECR: no build, no push"
    return 0
  fi
  run_sh "aws ecr get-login-password --region $(printf '%q' "$AWS_REGION") | docker login --username AWS --password-stdin $(printf '%q' "$registry")"
  # Target platform of the EKS nodes (nodeSelector amd64); the Maven stage runs on the build platform.
  run docker build --platform linux/amd64 -f "$ROOT/trade-tx-$app/Dockerfile" -t "$image" "$ROOT"
  run docker push "$image"
}

# --- Terraform -----------------------------------------------------------------------------------
# `terraform init` without -upgrade: providers come from infra-tf/.terraform.lock.hcl when it is
# committed (then the lock file may not change), else the newest versions the ~> constraints allow.
terraform_init() {
  if [[ -f "$TF_DIR/.terraform.lock.hcl" ]]; then
    run terraform -chdir="$TF_DIR" init -input=false -lockfile=readonly
  else
    warn "infra-tf/.terraform.lock.hcl is missing: provider versions are not pinned (see docs/aws.md, 'Reproducible infrastructure')"
    run terraform -chdir="$TF_DIR" init -input=false
  fi
}

# The CIDRs allowed to reach the EKS API endpoint, as an HCL list: EKS_PUBLIC_ACCESS_CIDRS
# (comma-separated) or else the caller's own public IPv4 address /32, detected now.
public_access_cidrs_hcl() {
  local cidrs="${EKS_PUBLIC_ACCESS_CIDRS:-}" ip c list="" parts=()
  if [[ -z "$cidrs" ]]; then
    ip="$(query curl -fsS --max-time 10 https://checkip.amazonaws.com 2>/dev/null | tr -d '[:space:]')" || ip=""
    if [[ ! "$ip" =~ ^([0-9]{1,3}\.){3}[0-9]{1,3}$ ]]; then
      printf 'ERROR: %s\n' "cannot detect your public IPv4 address (https://checkip.amazonaws.com did not answer one); set EKS_PUBLIC_ACCESS_CIDRS in $(basename "$ENV_FILE"), e.g. EKS_PUBLIC_ACCESS_CIDRS=203.0.113.7/32" >&2
      return 1
    fi
    cidrs="$ip/32"
    info "EKS API endpoint: reachable only from your public address $cidrs (detected now; set EKS_PUBLIC_ACCESS_CIDRS in .env to allow other networks)"
  fi
  IFS=',' read -r -a parts <<<"$cidrs"
  for c in "${parts[@]}"; do
    c="${c//[[:space:]]/}"
    [[ -z "$c" ]] && continue
    [[ "$c" =~ ^([0-9]{1,3}\.){3}[0-9]{1,3}/([0-9]|[12][0-9]|3[0-2])$ ]] ||
      { printf 'ERROR: EKS_PUBLIC_ACCESS_CIDRS: %s is not an IPv4 CIDR such as 203.0.113.7/32\n' "$c" >&2; return 1; }
    list+="${list:+,}\"$c\""
  done
  [[ -n "$list" ]] || { printf 'ERROR: EKS_PUBLIC_ACCESS_CIDRS is empty\n' >&2; return 1; }
  printf '[%s]' "$list"
}

# The -var arguments of terraform apply/destroy, all from the settings (sets TF_VARS, which the
# sourcing script passes on).
# shellcheck disable=SC2034
terraform_vars() {
  local cidrs_hcl="$1"
  TENANTS_HCL="$(tenants_hcl)" || exit 1
  TF_VARS=(
    -var "region=$AWS_REGION"
    -var "project_name=$PROJECT_NAME"
    -var "tenants=$TENANTS_HCL"
    -var "vpc_cidr=$VPC_CIDR"
    -var "monitoring_namespace=$MONITORING_NAMESPACE"
    -var "image_names={producer=\"$IMAGE_NAME_PRODUCER\",consumer=\"$IMAGE_NAME_CONSUMER\"}"
    -var "endpoint_public_access_cidrs=$cidrs_hcl"
  )
}

# --- Kubernetes ----------------------------------------------------------------------------------
# Status of the project's EKS cluster (ACTIVE, CREATING, ...); fails when it does not exist or
# cannot be described (credentials, region). The AWS error is on stderr.
cluster_status() {
  query aws eks describe-cluster --region "$AWS_REGION" --name "$CLUSTER_NAME" \
    --query cluster.status --output text
}

kube_context_exists() {
  kubectl config get-contexts -o name 2>/dev/null | grep -qxF "$KUBE_CONTEXT"
}

# True when the kube context KUBE_CONTEXT exists and points at the cluster CLUSTER_NAME of the account
# whose credentials are in use: an alias left by a same-named cluster of another account (or a
# deleted one) would otherwise send every kubectl call there.
kube_context_current() {
  kube_context_exists || return 1
  local points_at arn
  points_at="$(kubectl config view -o "jsonpath={.contexts[?(@.name==\"$KUBE_CONTEXT\")].context.cluster}" 2>/dev/null)" ||
    return 1
  arn="$(query aws eks describe-cluster --region "$AWS_REGION" --name "$CLUSTER_NAME" --query cluster.arn --output text)" ||
    return 1
  if [[ "$points_at" != "$arn" ]]; then
    warn "kube context $KUBE_CONTEXT points at $points_at, not $arn: re-pointing it"
    return 1
  fi
}

# Makes sure KUBE_CONTEXT is the project's cluster: `aws eks update-kubeconfig --alias` when it is
# missing or points elsewhere (MODE=missing) or always (MODE=refresh), then puts back whatever
# context was current before, so the operator's own `kubectl` keeps pointing where it did. Sets
# KUBE_CONTEXT_READY=1 when kubectl calls can run (in a dry run only if the context was right already).
KUBE_CONTEXT_READY=0
ensure_kube_context() { # ensure_kube_context MODE
  local mode="$1" previous
  KUBE_CONTEXT_READY=0
  if [[ "$mode" != refresh ]] && kube_context_current; then
    KUBE_CONTEXT_READY=1
    return 0
  fi
  previous="$(kubectl config current-context 2>/dev/null || true)"
  run aws eks update-kubeconfig --region "$AWS_REGION" --name "$CLUSTER_NAME" --alias "$KUBE_CONTEXT" >&2 || return 1
  if [[ -n "$previous" && "$previous" != "$KUBE_CONTEXT" ]]; then
    run kubectl config use-context "$previous" >&2 || return 1
  fi
  if [[ "$DRY_RUN" == 1 ]]; then
    info "dry run: kube context $KUBE_CONTEXT is not set up for this cluster yet; cluster queries are skipped"
    return 0
  fi
  KUBE_CONTEXT_READY=1
}

# kubectl on the project's cluster: `kube` changes things (printed in a dry run), `kube_query` only
# reads (runs in a dry run too, when the context exists).
kube() { run kubectl --context "$KUBE_CONTEXT" "$@"; }
kube_query() {
  if [[ "$KUBE_CONTEXT_READY" != 1 ]]; then
    print_cmd "[dry-run, no context yet]" kubectl --context "$KUBE_CONTEXT" "$@"
    return 2
  fi
  query kubectl --context "$KUBE_CONTEXT" "$@"
}
kubectl_ns() { kube --namespace "$K8S_NAMESPACE" "$@"; }

# The namespace annotation that names the KEDA reader role of the namespace's tenant: the cluster's
# ValidatingAdmissionPolicy (k8s/cluster/keda-trigger-auth-policy.yaml) refuses a TriggerAuthentication
# whose podIdentity.roleArn is any other role.
KEDA_READER_ANNOTATION="trade-tx.io/keda-reader-role-arn"

# Creates K8S_NAMESPACE (labelled as ours, so destroy.sh may remove it) unless it is `default` or exists,
# and annotates it with the tenant's KEDA reader role (looked up now unless known). A tenant's namespace
# is applied from k8s/tenant/namespace.yaml every time instead, so its labels (tenant, Pod Security
# "restricted") and that annotation stay as the file says.
ensure_namespace() {
  [[ -n "${KEDA_READER_ROLE_ARN:-}" ]] || resolve_keda_reader_role
  if [[ "$TENANT" != "$SINGLE_TENANT" ]]; then
    info "namespace $K8S_NAMESPACE of tenant $TENANT"
    local namespace_file
    namespace_file="$(render_to_file tenant/namespace.yaml)"
    kube apply -f "$namespace_file"
    return 0
  fi
  if [[ "$K8S_NAMESPACE" != default ]] && ! kube_query get namespace "$K8S_NAMESPACE" -o name >/dev/null 2>&1; then
    info "creating namespace $K8S_NAMESPACE"
    kube create namespace "$K8S_NAMESPACE"
    kube label namespace "$K8S_NAMESPACE" "$PART_OF_LABEL"
  fi
  kube annotate namespace "$K8S_NAMESPACE" --overwrite "$KEDA_READER_ANNOTATION=$KEDA_READER_ROLE_ARN"
}

# The manifests that isolate a tenant's namespace (NetworkPolicies, ResourceQuota, LimitRange), after
# checking the settings they are rendered from; nothing for the deployment without tenants.
# Sets ISOLATION_MANIFESTS.
# shellcheck disable=SC2034 # used by the sourcing scripts
ISOLATION_MANIFESTS=()
# shellcheck disable=SC2034
tenant_isolation_manifests() {
  ISOLATION_MANIFESTS=()
  [[ "$TENANT" != "$SINGLE_TENANT" ]] || return 0
  if [[ ! "${CLUSTER_DNS_IP:-}" =~ ^([0-9]{1,3}\.){3}[0-9]{1,3}$ ]]; then
    if [[ "$DRY_RUN" == 1 ]]; then
      warn "CLUSTER_DNS_IP is not set by deploy-infra.sh yet (ignored in dry run)"
      export CLUSTER_DNS_IP=192.0.2.10
    else
      die "CLUSTER_DNS_IP='${CLUSTER_DNS_IP:-}' is not an IPv4 address: run ./deploy-infra.sh (it writes the cluster's DNS address into $(basename "$ENV_FILE"))"
    fi
  fi
  [[ "$VPC_CIDR" =~ ^([0-9]{1,3}\.){3}[0-9]{1,3}/([0-9]|[12][0-9]|3[0-2])$ ]] ||
    die "VPC_CIDR=$VPC_CIDR is not an IPv4 CIDR such as 10.0.0.0/16"
  ISOLATION_MANIFESTS=("${TENANT_ISOLATION_MANIFESTS[@]}")
}

# Looks up the ARN of the tenant's KEDA reader role (Terraform creates it; the TriggerAuthentication
# names it, and KEDA assumes it to read the tenant's lag). A missing role stops the deploy: the tenant
# is not provisioned yet.
resolve_keda_reader_role() {
  local arn
  if arn="$(query aws iam get-role --role-name "$KEDA_READER_ROLE_NAME" --query Role.Arn --output text)" &&
    [[ "$arn" =~ ^arn:[a-z-]+:iam::[^:]+:role/ ]]; then
    export KEDA_READER_ROLE_ARN="$arn"
    return 0
  fi
  if [[ "$DRY_RUN" == 1 ]]; then
    warn "IAM role $KEDA_READER_ROLE_NAME cannot be read (ignored in dry run)"
    export KEDA_READER_ROLE_ARN="arn:aws:iam::ACCOUNT:role/$KEDA_READER_ROLE_NAME"
    return 0
  fi
  die "IAM role $KEDA_READER_ROLE_NAME (KEDA's reader of tenant $TENANT) cannot be read: run ./deploy-infra.sh after declaring the tenant in TENANTS"
}

# The context, cluster and namespace every deploy script acts on (fails when the cluster is missing).
use_project_cluster() {
  local status
  status="$(cluster_status)" || die "EKS cluster $CLUSTER_NAME in $AWS_REGION cannot be described (see the AWS error above): run ./deploy-infra.sh first, or check AWS_REGION/CLUSTER_NAME and your credentials"
  [[ "$status" == ACTIVE || "$status" == UPDATING ]] || die "EKS cluster $CLUSTER_NAME in $AWS_REGION is $status, not ACTIVE"
  ensure_kube_context missing || die "cannot add the kube context $KUBE_CONTEXT (aws eks update-kubeconfig failed)"
  info "cluster: $CLUSTER_NAME in $AWS_REGION (kube context $KUBE_CONTEXT), tenant $TENANT, namespace $K8S_NAMESPACE"
}
