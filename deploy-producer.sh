#!/usr/bin/env bash
# Deploys the producer at N messages/second; when it already runs, only changes its rate.
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/scripts/lib.sh"

MAX_RATE=100000

usage() {
  cat <<'EOF_USAGE'
Usage: ./deploy-producer.sh [--tenant NAME] [--dry-run] [--rebuild] [--allow-dirty] N

N = messages per second (an integer from 0 to 100000; 0 = idle).

First run (no trade-tx-producer Deployment in K8S_NAMESPACE, or --rebuild): builds
trade-tx-producer/Dockerfile, pushes it to ECR (tag = the git commit; skipped when ECR already has
it) and applies the producer ServiceAccount, rate ConfigMap, Deployment and metrics
Service/ServiceMonitor, through the kube context <CLUSTER_NAME>@<AWS_REGION>.

Later runs change the rate in seconds, without a new image and without restarting the pod: the rate
lives in the ConfigMap trade-tx-producer-rate, mounted as a file that the producer re-reads every
second. The script patches the ConfigMap and then updates an annotation on the running producer pod;
that pod update makes the kubelet refresh the pod's ConfigMap volume right away (otherwise it does
so on its periodic sync, up to about a minute later). MESSAGES_PER_SECOND in .env is updated too,
so a later full deploy keeps the rate. With --dry-run the script still looks the Deployment up, so
it shows which of the two paths a real run takes.

With --tenant NAME (required when TENANTS is set in .env) the producer of that tenant is deployed or
changed, in the tenant's namespace, writing its own topic; its rate is kept in .env as
TENANT_<NAME>_MESSAGES_PER_SECOND. A first deploy also applies the tenant's namespace, NetworkPolicies,
ResourceQuota and LimitRange (as deploy-consumer.sh --tenant does).

(The alternative, `kubectl set env deployment/trade-tx-producer MESSAGES_PER_SECOND=N`, also takes
seconds but replaces the pod: a new JVM, a new Kafka connection and a gap in the load.)

Options:
  --tenant NAME  the producer of tenant NAME (one of TENANTS)
  --dry-run      print the commands that would change anything instead of running them
  --rebuild      build, push and apply everything even if the producer is already running
  --allow-dirty  build from a work tree with uncommitted changes (tag <commit>-dirty-<time>)
  --help         this text
EOF_USAGE
}

parse_common_args "$@"
rebuild=0
rate=""
for arg in "${ARGS[@]+"${ARGS[@]}"}"; do
  case "$arg" in
    --rebuild) rebuild=1 ;;
    --allow-dirty) export ALLOW_DIRTY=1 ;;
    -*) die "unknown option: $arg (see --help)" ;;
    *)
      [[ -z "$rate" ]] || die "only one rate may be given (got '$rate' and '$arg')"
      rate="$arg"
      ;;
  esac
done
[[ -n "$rate" ]] || die "missing N (messages per second). Usage: ./deploy-producer.sh N"
[[ "$rate" =~ ^[0-9]+$ ]] || die "N must be a non-negative integer (messages per second), got '$rate'"
((${#rate} <= 7)) || die "N must be at most $MAX_RATE messages per second, got $rate"
rate=$((10#$rate))
((rate <= MAX_RATE)) || die "N must be at most $MAX_RATE messages per second, got $rate"

require_tools aws kubectl
load_env
select_tenant "$TENANT_ARG"
export MESSAGES_PER_SECOND="$rate"
# Where the rate is kept: the tenant's own setting, or the global one without tenants.
rate_setting=MESSAGES_PER_SECOND
if [[ "$TENANT" != "$SINGLE_TENANT" ]]; then
  rate_setting="TENANT_$(tenant_key "$TENANT")_MESSAGES_PER_SECOND"
fi
use_project_cluster

# True when the producer Deployment exists; a cluster that cannot be asked stops the script (it
# must not fall through to a rebuild).
producer_exists() {
  local out rc=0
  out="$(kube_query --namespace "$K8S_NAMESPACE" get deployment/trade-tx-producer -o name 2>&1)" || rc=$?
  ((rc == 0)) && return 0
  if ((rc == 2)) && [[ "$DRY_RUN" == 1 ]]; then
    info "dry run: no kube context yet, so no producer can be running: showing the first-run path"
    return 1
  fi
  [[ "$out" == *NotFound* || "$out" == *"not found"* ]] && return 1
  die "cannot look up deployment/trade-tx-producer in $K8S_NAMESPACE: ${out##*$'\n'}"
}

if [[ "$rebuild" == 0 ]] && producer_exists; then
  info "producer is running: changing its rate to $rate msg/s (no rebuild, no restart)"
  patch="$(printf '{"data":{"MESSAGES_PER_SECOND":"%s"}}' "$rate")"
  kubectl_ns patch configmap trade-tx-producer-rate --type merge -p "$patch"
  # Any pod update triggers a kubelet sync of the pod, which refreshes its ConfigMap volume.
  kubectl_ns annotate pods -l app=trade-tx-producer --overwrite "trade-tx.io/rate=$rate"
  env_set "$rate_setting" "$rate"
  cat >&2 <<EOF_NEXT
Rate set to $rate msg/s. The producer logs the new target within a few seconds:
  kubectl --context $KUBE_CONTEXT logs -n $K8S_NAMESPACE -l app=trade-tx-producer --since=30s
EOF_NEXT
  exit 0
fi

info "deploying the producer of tenant $TENANT at $rate msg/s"
require_tools docker git
require_ecr_settings
tenant_isolation_manifests
resolve_image_tag
build_and_push producer "$ECR_REPOSITORY_URL_PRODUCER"

manifests=(
  producer-serviceaccount.yaml
  producer-configmap.yaml
  producer-deployment.yaml
  metrics.yaml
  "${ISOLATION_MANIFESTS[@]+"${ISOLATION_MANIFESTS[@]}"}"
)
rendered="$(render_to_file "${manifests[@]}")"
info "rendered manifests: $rendered"
ensure_namespace
kubectl_ns apply -f "$rendered"
env_set "$rate_setting" "$rate"
kubectl_ns rollout status deployment/trade-tx-producer --timeout=180s

cat >&2 <<EOF_NEXT

Producer running at $rate msg/s (image tag ${IMAGE_TAG}).
  kubectl --context $KUBE_CONTEXT logs -n $K8S_NAMESPACE -l app=trade-tx-producer
  watch kubectl --context $KUBE_CONTEXT get hpa -n $K8S_NAMESPACE
Change the rate later with ./deploy-producer.sh ${TENANT_ARG:+--tenant $TENANT_ARG }N (seconds, no rebuild).
EOF_NEXT
