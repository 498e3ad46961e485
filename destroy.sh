#!/usr/bin/env bash
# Tears everything down: the Kubernetes resources first (ScaledObject before the Deployment, so
# KEDA does not scale what is being deleted), then `terraform destroy` (ECR repositories included:
# they have force_delete).
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/scripts/lib.sh"

usage() {
  cat <<'EOF_USAGE'
Usage: ./destroy.sh [--dry-run] [--yes] [--help]

Deletes the ScaledObject, TriggerAuthentication, producer and consumer resources from K8S_NAMESPACE,
then runs `terraform destroy` in infra-tf/ (MSK, EKS, VPC, ECR with its images, IAM roles).

Options:
  --dry-run   print the commands instead of running them
  --yes       do not ask for confirmation
  --help      this text
EOF_USAGE
}

parse_common_args "$@"
assume_yes=0
for arg in "${ARGS[@]+"${ARGS[@]}"}"; do
  case "$arg" in
    --yes | -y) assume_yes=1 ;;
    *) die "unexpected argument: $arg (see --help)" ;;
  esac
done

require_tools aws terraform kubectl
load_env

if [[ "$DRY_RUN" != 1 && "$assume_yes" != 1 ]]; then
  [[ -t 0 ]] || die "refusing to destroy without a terminal; pass --yes"
  read -r -p "Destroy cluster '$CLUSTER_NAME', MSK and all images in $AWS_REGION? Type 'destroy': " answer
  [[ "$answer" == destroy ]] || die "aborted"
fi

k() { run kubectl --namespace "$K8S_NAMESPACE" "$@"; }

info "deleting the Kubernetes resources (ScaledObject first)"
# --ignore-not-found: a partial deploy or a second run must not stop the teardown.
k delete scaledobject trade-tx-consumer-scaler --ignore-not-found --wait=true
k delete triggerauthentication keda-msk-iam-auth --ignore-not-found
k delete deployment trade-tx-producer trade-tx-consumer --ignore-not-found --wait=true
k delete configmap trade-tx-producer-rate --ignore-not-found
k delete poddisruptionbudget trade-tx-consumer --ignore-not-found
k delete servicemonitor trade-tx --ignore-not-found
k delete service trade-tx-metrics --ignore-not-found
k delete serviceaccount trade-tx-producer trade-tx-consumer --ignore-not-found

info "terraform destroy in infra-tf/"
run terraform -chdir="$TF_DIR" init -input=false
run terraform -chdir="$TF_DIR" destroy -input=false -auto-approve \
  -var "region=$AWS_REGION" \
  -var "project_name=$PROJECT_NAME" \
  -var "app_namespace=$K8S_NAMESPACE" \
  -var "kafka_topic=$KAFKA_TOPIC" \
  -var "consumer_group=$CONSUMER_GROUP" \
  -var "image_names={producer=\"$IMAGE_NAME_PRODUCER\",consumer=\"$IMAGE_NAME_CONSUMER\"}"

info "done. The kubeconfig entry for $CLUSTER_NAME can be removed with: kubectl config delete-context <context>"
