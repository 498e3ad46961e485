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
# Settings that may be empty in .env.example because derive_settings fills them.
DERIVED_SETTINGS=(DLQ_TOPIC)

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

# Parses the options every script shares. Sets DRY_RUN; prints usage (from the caller's `usage`
# function) on --help; leaves the other arguments in the global array ARGS.
ARGS=()
parse_common_args() {
  ARGS=()
  while (($#)); do
    case "$1" in
      --dry-run) DRY_RUN=1 ;;
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
# The one grammar of .env.example and .env (DeploySettings in trade-tx-local reads the same, and
# EnvGrammarTest keeps the two equal):
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

# Loads .env.example, then ENV_FILE on top, exports every setting and derives the names built from
# them (derive_settings).
load_env() {
  [[ -f "$ENV_EXAMPLE" ]] || die "$ENV_EXAMPLE is missing"
  local file line n rc
  for file in "$ENV_EXAMPLE" "$ENV_FILE"; do
    [[ -f "$file" ]] || continue
    n=0
    while IFS= read -r line || [[ -n "$line" ]]; do
      n=$((n + 1))
      rc=0
      parse_env_line "$line" || rc=$?
      case "$rc" in
        0) export "$ENV_LINE_KEY=$ENV_LINE_VALUE" ;;
        1) ;;
        *) die "$file:$n: not a NAME=VALUE line: $line" ;;
      esac
    done <"$file"
  done
  if [[ ! -f "$ENV_FILE" ]]; then
    warn "$ENV_FILE does not exist; using the defaults of .env.example (deploy-infra.sh creates it)"
  fi
  derive_settings
}

# The one place where names are derived from settings; Terraform (-var), the manifests and the
# kubectl calls all take them from here.
derive_settings() {
  # The dead-letter topic: the consumer's own default rule, written out so Terraform grants exactly it.
  export DLQ_TOPIC="${DLQ_TOPIC:-${KAFKA_TOPIC}.dlq}"
  [[ "$DLQ_TOPIC" =~ ^[A-Za-z0-9._-]{1,249}$ && "$DLQ_TOPIC" != "$KAFKA_TOPIC" ]] ||
    die "DLQ_TOPIC=$DLQ_TOPIC is invalid: must be a Kafka topic name other than KAFKA_TOPIC"
  [[ "$K8S_NAMESPACE" =~ ^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$ ]] ||
    die "K8S_NAMESPACE=$K8S_NAMESPACE is invalid: must be a DNS label (lower-case letters, digits, dashes)"
  # The kube context of the project's cluster: created by `aws eks update-kubeconfig --alias`.
  export KUBE_CONTEXT="${CLUSTER_NAME}@${AWS_REGION}"
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
  TF_VARS=(
    -var "region=$AWS_REGION"
    -var "project_name=$PROJECT_NAME"
    -var "app_namespace=$K8S_NAMESPACE"
    -var "kafka_topic=$KAFKA_TOPIC"
    -var "kafka_dlq_topic=$DLQ_TOPIC"
    -var "consumer_group=$CONSUMER_GROUP"
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

# Creates K8S_NAMESPACE (labelled as ours, so destroy.sh may remove it) unless it is `default` or exists.
ensure_namespace() {
  [[ "$K8S_NAMESPACE" == default ]] && return 0
  if kube_query get namespace "$K8S_NAMESPACE" -o name >/dev/null 2>&1; then
    return 0
  fi
  info "creating namespace $K8S_NAMESPACE"
  kube create namespace "$K8S_NAMESPACE"
  kube label namespace "$K8S_NAMESPACE" "$PART_OF_LABEL"
}

# The context, cluster and namespace every deploy script acts on (fails when the cluster is missing).
use_project_cluster() {
  local status
  status="$(cluster_status)" || die "EKS cluster $CLUSTER_NAME in $AWS_REGION cannot be described (see the AWS error above): run ./deploy-infra.sh first, or check AWS_REGION/CLUSTER_NAME and your credentials"
  [[ "$status" == ACTIVE || "$status" == UPDATING ]] || die "EKS cluster $CLUSTER_NAME in $AWS_REGION is $status, not ACTIVE"
  ensure_kube_context missing || die "cannot add the kube context $KUBE_CONTEXT (aws eks update-kubeconfig failed)"
  info "cluster: $CLUSTER_NAME in $AWS_REGION (kube context $KUBE_CONTEXT), namespace $K8S_NAMESPACE"
}
