#!/usr/bin/env bash
# Builds and pushes the consumer image, then applies the consumer, its metrics, its
# TriggerAuthentication and its KEDA ScaledObject.
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/scripts/lib.sh"

usage() {
  cat <<'EOF_USAGE'
Usage: ./deploy-consumer.sh [--dry-run] [--no-build] [--help]

Builds trade-tx-consumer/Dockerfile (context: the repository root), pushes it to the ECR repository
from .env, renders k8s/ with envsubst (only the names in .env.example are replaced) and applies the
consumer ServiceAccount, Deployment, PodDisruptionBudget, metrics Service/ServiceMonitor, the KEDA
TriggerAuthentication and the ScaledObject to K8S_NAMESPACE.

The Deployment has no replicas field, so re-running this never resets the count KEDA chose.

Options:
  --dry-run   print the commands instead of running them (manifests are still rendered locally)
  --no-build  skip the image build and push; apply the manifests with IMAGE_TAG from .env
  --help      this text
EOF_USAGE
}

parse_common_args "$@"
build=1
for arg in "${ARGS[@]+"${ARGS[@]}"}"; do
  case "$arg" in
    --no-build) build=0 ;;
    *) die "unexpected argument: $arg (see --help)" ;;
  esac
done

require_tools aws kubectl docker envsubst git
load_env
require_ecr_settings
for setting in LAG_THRESHOLD ACTIVATION_LAG_THRESHOLD MAX_REPLICAS POLLING_INTERVAL COOLDOWN_PERIOD TOPIC_PARTITIONS; do
  require_int "$setting"
done
((LAG_THRESHOLD > 0)) || die "LAG_THRESHOLD must be > 0"
[[ "${RATE_THRESHOLD:-}" =~ ^[0-9]+(\.[0-9]+)?$ && ! "$RATE_THRESHOLD" =~ ^0+(\.0+)?$ ]] ||
  die "RATE_THRESHOLD must be a number > 0 (msg/s per replica), was '${RATE_THRESHOLD:-}'"
[[ -n "${PROMETHEUS_SERVER_ADDRESS:-}" ]] || die "PROMETHEUS_SERVER_ADDRESS must be set (see .env.example)"
if ((MAX_REPLICAS > TOPIC_PARTITIONS)); then
  warn "MAX_REPLICAS ($MAX_REPLICAS) > TOPIC_PARTITIONS ($TOPIC_PARTITIONS): the ingest-rate trigger has no partition cap, so the extra replicas would sit idle"
fi

if [[ "$build" == 1 ]]; then
  resolve_image_tag
  build_and_push consumer "$ECR_REPOSITORY_URL_CONSUMER"
elif [[ "${IMAGE_TAG:-auto}" == auto ]]; then
  die "--no-build needs a fixed IMAGE_TAG in .env"
fi

manifests=(
  consumer-serviceaccount.yaml
  consumer-deployment.yaml
  consumer-pdb.yaml
  metrics.yaml
  keda-triggerauthentication.yaml
  scaledobject.yaml
)
rendered="$(render_to_file "${manifests[@]}")"
info "rendered manifests: $rendered"

kubectl_ns apply -f "$rendered"
info "waiting for KEDA to accept the ScaledObject"
if ! kubectl_ns wait --for=condition=Ready scaledobject/trade-tx-consumer-scaler --timeout=120s; then
  # Expected until the topic exists (the producer creates it): KEDA cannot describe it yet.
  warn "ScaledObject not Ready yet; see: kubectl describe scaledobject trade-tx-consumer-scaler -n $K8S_NAMESPACE"
fi

cat >&2 <<EOF_NEXT

Consumer deployed (image tag ${IMAGE_TAG}). With no lag KEDA keeps it at 0 replicas.
  kubectl get scaledobject,hpa -n $K8S_NAMESPACE
  ./deploy-producer.sh 10
EOF_NEXT
