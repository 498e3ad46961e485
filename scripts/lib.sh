# shellcheck shell=bash
# Shared helpers of deploy-infra.sh, deploy-consumer.sh, deploy-producer.sh and destroy.sh.
# Sourced, never run. Callers set `set -euo pipefail` themselves.
#
# Conventions:
#   DRY_RUN=1   every command that touches AWS, Kubernetes or Docker goes through `run`, which then
#               only prints it; missing tools become warnings; .env is read but never written.
#   ENV_FILE    the settings file (default: <repo>/.env), read after .env.example.

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ENV_EXAMPLE="$ROOT/.env.example"
ENV_FILE="${ENV_FILE:-$ROOT/.env}"
K8S_DIR="$ROOT/k8s"
export TF_DIR="$ROOT/infra-tf"
DRY_RUN="${DRY_RUN:-0}"

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

# Runs a command, or only prints it in dry-run mode.
run() {
  if [[ "$DRY_RUN" == 1 ]]; then
    print_cmd "[dry-run]" "$@"
    return 0
  fi
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
    info "dry run: printing the commands that touch AWS, Kubernetes or Docker instead of running them"
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
      jq) hint="install jq (e.g. 'apt-get install jq' or 'brew install jq')" ;;
      envsubst) hint="install gettext (e.g. 'apt-get install gettext-base' or 'brew install gettext')" ;;
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

# The envsubst argument that restricts substitution to those names: '${A} ${B} ...'.
envsubst_vars() {
  local k out=""
  while IFS= read -r k; do
    out+="\${$k} "
  done < <(env_keys)
  printf '%s' "${out% }"
}

# Loads .env.example, then ENV_FILE on top, and exports every setting. The files hold plain
# KEY=value lines (no quoting needed, no command substitution is run: lines are parsed, not sourced).
load_env() {
  [[ -f "$ENV_EXAMPLE" ]] || die "$ENV_EXAMPLE is missing"
  local file line key value
  for file in "$ENV_EXAMPLE" "$ENV_FILE"; do
    [[ -f "$file" ]] || continue
    while IFS= read -r line || [[ -n "$line" ]]; do
      [[ "$line" =~ ^[[:space:]]*(#|$) ]] && continue
      [[ "$line" =~ ^([A-Za-z_][A-Za-z0-9_]*)=(.*)$ ]] || die "$file: cannot parse line: $line"
      key="${BASH_REMATCH[1]}"
      value="${BASH_REMATCH[2]}"
      # Strip one pair of surrounding quotes, if any.
      if [[ "$value" =~ ^\"(.*)\"$ || "$value" =~ ^\'(.*)\'$ ]]; then
        value="${BASH_REMATCH[1]}"
      fi
      export "$key=$value"
    done <"$file"
  done
  if [[ ! -f "$ENV_FILE" ]]; then
    warn "$ENV_FILE does not exist; using the defaults of .env.example (deploy-infra.sh creates it)"
  fi
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
    $0 ~ "^" k "=" { print k "=" v; done = 1; next }
    { print }
    END { if (!done) print k "=" v }
  ' "$ENV_FILE" >"$tmp"
  mv "$tmp" "$ENV_FILE"
  info "set $key in $(basename "$ENV_FILE")"
}

# Renders k8s/<file> to stdout, replacing only the ${NAME} placeholders named in .env.example.
render_manifest() {
  local file="$K8S_DIR/$1"
  [[ -f "$file" ]] || die "no manifest $file"
  envsubst "$(envsubst_vars)" <"$file"
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
    die "placeholders above are not defined in .env.example"
  fi
  printf '%s' "$out"
}

# Validates that a setting is a non-negative integer.
require_int() {
  local name="$1" value="${!1:-}"
  [[ "$value" =~ ^[0-9]+$ ]] || die "$name must be a non-negative integer, got '$value'"
}

# Resolves IMAGE_TAG=auto to the git short sha (+ -dirty-<epoch> for a modified work tree).
resolve_image_tag() {
  if [[ "${IMAGE_TAG:-auto}" != "auto" && -n "${IMAGE_TAG:-}" ]]; then
    return 0
  fi
  local tag="manual"
  if command -v git >/dev/null 2>&1 && git -C "$ROOT" rev-parse --git-dir >/dev/null 2>&1; then
    tag="$(git -C "$ROOT" rev-parse --short=12 HEAD 2>/dev/null || echo manual)"
    if [[ -n "$(git -C "$ROOT" status --porcelain --untracked-files=no 2>/dev/null)" ]]; then
      tag+="-dirty-$(date +%s)"
    fi
  fi
  export IMAGE_TAG="$tag"
  info "image tag: $IMAGE_TAG"
}

# The ECR registry host of a repository URL (everything before the first slash).
registry_of() {
  printf '%s' "${1%%/*}"
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

# Logs docker in to the ECR registry of the given repository URL.
ecr_login() {
  local registry
  registry="$(registry_of "$1")"
  run_sh "aws ecr get-login-password --region $(printf '%q' "$AWS_REGION") | docker login --username AWS --password-stdin $(printf '%q' "$registry")"
}

# Builds the image of one app (producer|consumer) from the repository root and pushes it.
build_and_push() {
  local app="$1" repo="$2"
  local image="$repo:$IMAGE_TAG"
  ecr_login "$repo"
  run docker build --platform linux/amd64 -f "$ROOT/trade-tx-$app/Dockerfile" -t "$image" "$ROOT"
  run docker push "$image"
}

kubectl_ns() {
  run kubectl --namespace "$K8S_NAMESPACE" "$@"
}
