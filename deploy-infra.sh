#!/usr/bin/env bash
# Creates the AWS side with Terraform (VPC, MSK, EKS Auto Mode, ECR, Pod Identity, KEDA,
# Prometheus + Grafana), adds the project's kube context and writes the outputs into .env.
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/scripts/lib.sh"

usage() {
  cat <<'EOF_USAGE'
Usage: ./deploy-infra.sh [--dry-run] [--adopt-topics] [--help]

Applies infra-tf/ (takes 30-45 minutes, mostly MSK), adds the kube context <CLUSTER_NAME>@<AWS_REGION>
with `aws eks update-kubeconfig --alias` (your current context stays current), applies the cluster-wide
objects of k8s/cluster/ (the admission policy that lets a KEDA TriggerAuthentication name only its own
namespace's reader role) and writes AWS_REGION,
CLUSTER_NAME, KAFKA_BOOTSTRAP_SERVERS, MSK_CLUSTER_ARN, MSK_CLUSTER_NAME, CLUSTER_DNS_IP and the ECR
repository URLs into .env (created from .env.example when missing; other lines are kept).

Every tenant of TENANTS (or, without TENANTS, the single deployment) gets its topic and dead-letter
topic, its producer, consumer and KEDA reader IAM roles and its Pod Identity associations; a tenant
removed from TENANTS loses them (its topics with their data) on the next run.

The EKS API endpoint accepts only EKS_PUBLIC_ACCESS_CIDRS (comma-separated) or, when that is empty,
your own public IPv4 address (/32), detected now with https://checkip.amazonaws.com.

Settings read from .env: AWS_REGION, PROJECT_NAME, VPC_CIDR, MONITORING_NAMESPACE, TENANTS and the
tenants' names (K8S_NAMESPACE, KAFKA_TOPIC, DLQ_TOPIC, CONSUMER_GROUP, TOPIC_PARTITIONS,
TOPIC_REPLICATION_FACTOR, TENANT_<NAME>_<SETTING>), IMAGE_NAME_PRODUCER, IMAGE_NAME_CONSUMER,
EKS_PUBLIC_ACCESS_CIDRS.

Options:
  --dry-run       print the commands that would change anything instead of running them
  --adopt-topics  before applying, import into the Terraform state the tenants' topics that already
                  exist on MSK (a deployment made before Terraform managed topics, whose apps created
                  them); a topic that does not exist yet is reported and left to the apply
  --help          this text
EOF_USAGE
}

parse_common_args "$@"
[[ -z "$TENANT_ARG" ]] || die "deploy-infra.sh provisions every tenant of TENANTS at once: it takes no --tenant"
adopt_topics=0
for arg in "${ARGS[@]+"${ARGS[@]}"}"; do
  case "$arg" in
    --adopt-topics) adopt_topics=1 ;;
    *) die "unexpected argument: $arg (see --help)" ;;
  esac
done

tools=(aws terraform kubectl)
[[ -n "${EKS_PUBLIC_ACCESS_CIDRS:-}" ]] || tools+=(curl)
require_tools "${tools[@]}"
ensure_env_file
load_env

info "checking AWS credentials"
query aws sts get-caller-identity --query Arn --output text

cidrs="$(public_access_cidrs_hcl)" || exit 1
terraform_vars "$cidrs"

terraform_init

# Topics that the apps of an earlier deployment created are adopted, not created again (MSK would
# refuse: the topic exists). Addresses and IDs as in infra-tf/msk.tf: <cluster ARN>,<topic>.
adopt_existing_topics() {
  [[ -n "${MSK_CLUSTER_ARN:-}" ]] || die "--adopt-topics: MSK_CLUSTER_ARN is not set in $(basename "$ENV_FILE"): there is no earlier deployment whose topics could be adopted"
  local names=("") tenant entry resource topic trade dead_letter
  if ((${#TENANT_LIST[@]})); then
    names=("${TENANT_LIST[@]}")
  fi
  for tenant in "${names[@]}"; do
    entry="$(
      select_tenant "$tenant"
      printf '%s %s %s' "$TENANT" "$KAFKA_TOPIC" "$DLQ_TOPIC"
    )" || exit 1
    read -r tenant trade dead_letter <<<"$entry"
    for resource in "trade:$trade" "dead_letter:$dead_letter"; do
      topic="${resource#*:}"
      info "adopting topic $topic of tenant $tenant"
      run terraform -chdir="$TF_DIR" import -input=false "${TF_VARS[@]}" \
        "aws_msk_topic.${resource%%:*}[\"$tenant\"]" "$MSK_CLUSTER_ARN,$topic" ||
        warn "topic $topic not imported (it does not exist yet, or is in the state already): the apply creates or keeps it"
    done
  done
}
if [[ "$adopt_topics" == 1 ]]; then
  adopt_existing_topics
fi

info "terraform apply in infra-tf/ (MSK alone takes 25-40 minutes)"
if ! run terraform -chdir="$TF_DIR" apply -input=false -auto-approve "${TF_VARS[@]}"; then
  die "terraform apply failed (see above). If it says that a topic already exists, this deployment's apps created it before Terraform managed topics: run ./deploy-infra.sh --adopt-topics"
fi

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
  MSK_CLUSTER_ARN=msk_cluster_arn MSK_CLUSTER_NAME=msk_cluster_name CLUSTER_DNS_IP=cluster_dns_ip \
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
kube --namespace "$MONITORING_NAMESPACE" rollout status deployment/kube-prometheus-stack-grafana --timeout=300s

# Cluster-wide objects (k8s/cluster/), before any tenant's: the admission policy that lets a
# TriggerAuthentication name only its own namespace's KEDA reader role.
info "applying the cluster-wide policies of k8s/cluster/"
cluster_manifests="$(render_to_file "${CLUSTER_MANIFESTS[@]}")"
kube apply -f "$cluster_manifests"

next="Next:"
tenant_option=""
if ((${#TENANT_LIST[@]})); then
  next="Next, for each tenant (${TENANT_LIST[*]}):"
  tenant_option=" --tenant ${TENANT_LIST[0]}"
fi
cat >&2 <<EOF_NEXT

Infrastructure is ready. $next
  ./deploy-consumer.sh$tenant_option
  ./deploy-producer.sh$tenant_option 10
  kubectl --context $KUBE_CONTEXT get scaledobject,hpa -A
Grafana admin password:
  kubectl --context $KUBE_CONTEXT -n $MONITORING_NAMESPACE get secret grafana-admin -o jsonpath='{.data.admin-password}' | base64 -d; echo
EOF_NEXT
