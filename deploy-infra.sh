#!/usr/bin/env bash
# Creates the AWS side with Terraform (VPC, MSK, EKS Auto Mode, ECR, Pod Identity, KEDA,
# Prometheus + Grafana), adds the project's kube context and writes the outputs into .env.
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/scripts/lib.sh"

usage() {
  cat <<'EOF_USAGE'
Usage: ./deploy-infra.sh [--dry-run] [--help]

Applies infra-tf/ (takes 30-45 minutes, mostly MSK), adds the kube context <CLUSTER_NAME>@<AWS_REGION>
with `aws eks update-kubeconfig --alias` (your current context stays current) and writes AWS_REGION,
CLUSTER_NAME, KAFKA_BOOTSTRAP_SERVERS, MSK_CLUSTER_ARN, MSK_CLUSTER_NAME and the ECR repository URLs
into .env (created from .env.example when missing; other lines are kept).

The EKS API endpoint accepts only EKS_PUBLIC_ACCESS_CIDRS (comma-separated) or, when that is empty,
your own public IPv4 address (/32), detected now with https://checkip.amazonaws.com.

Settings read from .env: AWS_REGION, PROJECT_NAME, K8S_NAMESPACE, KAFKA_TOPIC, DLQ_TOPIC,
CONSUMER_GROUP, IMAGE_NAME_PRODUCER, IMAGE_NAME_CONSUMER, EKS_PUBLIC_ACCESS_CIDRS.

Options:
  --dry-run   print the commands that would change anything instead of running them
  --help      this text
EOF_USAGE
}

parse_common_args "$@"
((${#ARGS[@]} == 0)) || die "unexpected argument(s): ${ARGS[*]} (see --help)"

tools=(aws terraform kubectl)
[[ -n "${EKS_PUBLIC_ACCESS_CIDRS:-}" ]] || tools+=(curl)
require_tools "${tools[@]}"
ensure_env_file
load_env

info "checking AWS credentials"
query aws sts get-caller-identity --query Arn --output text

cidrs="$(public_access_cidrs_hcl)" || exit 1
terraform_vars "$cidrs"

info "terraform apply in infra-tf/ (MSK alone takes 25-40 minutes)"
terraform_init
run terraform -chdir="$TF_DIR" apply -input=false -auto-approve "${TF_VARS[@]}"

tf_output() {
  if [[ "$DRY_RUN" == 1 ]]; then
    print_cmd "[dry-run]" terraform -chdir="$TF_DIR" output -raw "$1"
    printf '<%s>' "$1"
    return 0
  fi
  terraform -chdir="$TF_DIR" output -raw "$1"
}

info "writing Terraform outputs into $(basename "$ENV_FILE")"
for pair in AWS_REGION=region CLUSTER_NAME=cluster_name KAFKA_BOOTSTRAP_SERVERS=bootstrap_brokers_sasl_iam \
  MSK_CLUSTER_ARN=msk_cluster_arn MSK_CLUSTER_NAME=msk_cluster_name \
  ECR_REPOSITORY_URL_PRODUCER=ecr_repository_url_producer ECR_REPOSITORY_URL_CONSUMER=ecr_repository_url_consumer; do
  value="$(tf_output "${pair#*=}")"
  env_set "${pair%%=*}" "$value"
done
derive_settings

# Refreshed on every run: a cluster re-created under the same name gets a new endpoint and CA.
info "kube context $KUBE_CONTEXT for cluster $CLUSTER_NAME"
ensure_kube_context refresh

info "waiting for KEDA and Grafana"
kube --namespace keda rollout status deployment/keda-operator --timeout=300s
kube --namespace monitoring rollout status deployment/kube-prometheus-stack-grafana --timeout=300s

cat >&2 <<EOF_NEXT

Infrastructure is ready. Next:
  ./deploy-consumer.sh
  ./deploy-producer.sh 10
  kubectl --context $KUBE_CONTEXT get scaledobject,hpa -n $K8S_NAMESPACE
Grafana admin password:
  kubectl --context $KUBE_CONTEXT -n monitoring get secret grafana-admin -o jsonpath='{.data.admin-password}' | base64 -d; echo
EOF_NEXT
