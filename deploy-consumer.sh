#!/usr/bin/env bash
# Builds and pushes the consumer image, then applies the consumer, its metrics, its
# TriggerAuthentication and its KEDA ScaledObject.
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/scripts/lib.sh"

usage() {
  cat <<'EOF_USAGE'
Usage: ./deploy-consumer.sh [--tenant NAME] [--dry-run] [--no-build] [--allow-dirty] [--help]

Builds trade-tx-consumer/Dockerfile (context: the repository root), pushes it to the ECR repository
from .env (tag = the git commit; skipped when ECR already has that tag), renders k8s/ (only the
${NAME} placeholders that are settings of .env.example are replaced) and applies the consumer
ServiceAccount, Deployment, PodDisruptionBudget, metrics Service/ServiceMonitor, the KEDA
TriggerAuthentication (naming the KEDA reader role, looked up with aws iam get-role) and the
ScaledObject to K8S_NAMESPACE (created when missing, and annotated with that reader role: the only
role the cluster's admission policy lets a TriggerAuthentication there name), always through the
kube context <CLUSTER_NAME>@<AWS_REGION>, never the current one.

With --tenant NAME (required when TENANTS is set in .env, refused otherwise) everything goes to that
tenant's namespace with its own names and settings (TENANT_<NAME>_<SETTING>), and the namespace also
gets k8s/tenant/: Pod Security "restricted", default-deny NetworkPolicies with only the traffic the
pods need, a ResourceQuota sized from the tenant's MAX_REPLICAS and a LimitRange.

The Deployment has no replicas field, so re-running this never resets the count KEDA chose.

Options:
  --tenant NAME  deploy tenant NAME (one of TENANTS)
  --dry-run      print the commands that would change anything instead of running them
  --no-build     skip the image build; the image of IMAGE_TAG (default: this commit) must be in ECR
  --allow-dirty  build from a work tree with uncommitted changes (tag <commit>-dirty-<time>)
  --help         this text
EOF_USAGE
}

parse_common_args "$@"
build=1
for arg in "${ARGS[@]+"${ARGS[@]}"}"; do
  case "$arg" in
    --no-build) build=0 ;;
    --allow-dirty) export ALLOW_DIRTY=1 ;;
    *) die "unexpected argument: $arg (see --help)" ;;
  esac
done

tools=(aws kubectl git)
[[ "$build" == 0 ]] || tools+=(docker)
require_tools "${tools[@]}"
load_env
select_tenant "$TENANT_ARG"
require_ecr_settings
for setting in LAG_THRESHOLD ACTIVATION_LAG_THRESHOLD MAX_REPLICAS POLLING_INTERVAL COOLDOWN_PERIOD TOPIC_PARTITIONS SHUTDOWN_GRACE_PERIOD_SECONDS; do
  require_int "$setting"
done
((LAG_THRESHOLD > 0)) || die "LAG_THRESHOLD must be > 0"
[[ "${RATE_THRESHOLD:-}" =~ ^[0-9]+(\.[0-9]+)?$ && ! "$RATE_THRESHOLD" =~ ^0+(\.0+)?$ ]] ||
  die "RATE_THRESHOLD must be a number > 0 (msg/s per replica), was '${RATE_THRESHOLD:-}'"
[[ -n "${PROMETHEUS_SERVER_ADDRESS:-}" ]] || die "PROMETHEUS_SERVER_ADDRESS must be set (see .env.example)"
if ((MAX_REPLICAS > TOPIC_PARTITIONS)); then
  warn "MAX_REPLICAS ($MAX_REPLICAS) > TOPIC_PARTITIONS ($TOPIC_PARTITIONS): the ingest-rate trigger has no partition cap, so the extra replicas would sit idle"
fi

tenant_isolation_manifests
use_project_cluster
resolve_keda_reader_role
resolve_image_tag
if [[ "$build" == 1 ]]; then
  build_and_push consumer "$ECR_REPOSITORY_URL_CONSUMER"
elif ! image_exists "$ECR_REPOSITORY_URL_CONSUMER" "$IMAGE_TAG"; then
  [[ "$DRY_RUN" == 1 ]] || die "--no-build: $ECR_REPOSITORY_URL_CONSUMER:$IMAGE_TAG is not in ECR (deploy without --no-build)"
fi

manifests=(
  consumer-serviceaccount.yaml
  consumer-deployment.yaml
  consumer-pdb.yaml
  metrics.yaml
  keda-triggerauthentication.yaml
  scaledobject.yaml
  "${ISOLATION_MANIFESTS[@]+"${ISOLATION_MANIFESTS[@]}"}"
)
rendered="$(render_to_file "${manifests[@]}")"
info "rendered manifests: $rendered"

ensure_namespace
kubectl_ns apply -f "$rendered"
info "waiting for KEDA to accept the ScaledObject"
if ! kubectl_ns wait --for=condition=Ready scaledobject/trade-tx-consumer-scaler --timeout=120s; then
  # Expected until the topic exists (the producer creates it): KEDA cannot describe it yet.
  warn "ScaledObject not Ready yet; see: kubectl --context $KUBE_CONTEXT describe scaledobject trade-tx-consumer-scaler -n $K8S_NAMESPACE"
fi

cat >&2 <<EOF_NEXT

Consumer of tenant $TENANT deployed (image tag ${IMAGE_TAG}). With no lag KEDA keeps it at 0 replicas.
  kubectl --context $KUBE_CONTEXT get scaledobject,hpa -n $K8S_NAMESPACE
  ./deploy-producer.sh ${TENANT_ARG:+--tenant $TENANT_ARG }10
EOF_NEXT
