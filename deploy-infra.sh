#!/usr/bin/env bash
# Creates the AWS side with Terraform (VPC, MSK, EKS Auto Mode, ECR, Pod Identity, KEDA,
# Prometheus + Grafana), points kubectl at the cluster and writes the outputs into .env.
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/scripts/lib.sh"

usage() {
  cat <<'EOF'
Usage: ./deploy-infra.sh [--dry-run] [--help]

Applies infra-tf/ (takes 30-45 minutes, mostly MSK), runs `aws eks update-kubeconfig` and writes
AWS_REGION, CLUSTER_NAME, KAFKA_BOOTSTRAP_SERVERS, MSK_CLUSTER_ARN, MSK_CLUSTER_NAME and the ECR
repository URLs into .env (created from .env.example when missing; other lines are kept).

Settings read from .env: AWS_REGION, PROJECT_NAME, K8S_NAMESPACE, KAFKA_TOPIC, CONSUMER_GROUP,
IMAGE_NAME_PRODUCER, IMAGE_NAME_CONSUMER.

Options:
  --dry-run   print the commands instead of running them; nothing in AWS or .env changes
  --help      this text
EOF
}

parse_common_args "$@"
((${#ARGS[@]} == 0)) || die "unexpected argument(s): ${ARGS[*]} (see --help)"

require_tools aws terraform kubectl docker jq
ensure_env_file
load_env

tf_vars=(
  -var "region=$AWS_REGION"
  -var "project_name=$PROJECT_NAME"
  -var "app_namespace=$K8S_NAMESPACE"
  -var "kafka_topic=$KAFKA_TOPIC"
  -var "consumer_group=$CONSUMER_GROUP"
  -var "image_names={producer=\"$IMAGE_NAME_PRODUCER\",consumer=\"$IMAGE_NAME_CONSUMER\"}"
)

info "checking AWS credentials"
run aws sts get-caller-identity --query Arn --output text

info "terraform apply in infra-tf/ (MSK alone takes 25-40 minutes)"
run terraform -chdir="$TF_DIR" init -input=false -upgrade
run terraform -chdir="$TF_DIR" apply -input=false -auto-approve "${tf_vars[@]}"

tf_output() {
  if [[ "$DRY_RUN" == 1 ]]; then
    print_cmd "[dry-run]" terraform -chdir="$TF_DIR" output -raw "$1"
    printf '<%s>' "$1"
    return 0
  fi
  terraform -chdir="$TF_DIR" output -raw "$1"
}

region="$(tf_output region)"
cluster="$(tf_output cluster_name)"

info "configuring kubectl for cluster $cluster"
run aws eks update-kubeconfig --region "$region" --name "$cluster"

info "writing Terraform outputs into $(basename "$ENV_FILE")"
env_set AWS_REGION "$region"
env_set CLUSTER_NAME "$cluster"
env_set KAFKA_BOOTSTRAP_SERVERS "$(tf_output bootstrap_brokers_sasl_iam)"
env_set MSK_CLUSTER_ARN "$(tf_output msk_cluster_arn)"
env_set MSK_CLUSTER_NAME "$(tf_output msk_cluster_name)"
env_set ECR_REPOSITORY_URL_PRODUCER "$(tf_output ecr_repository_url_producer)"
env_set ECR_REPOSITORY_URL_CONSUMER "$(tf_output ecr_repository_url_consumer)"

info "waiting for KEDA and Grafana"
kubectl_ns_wait() { run kubectl --namespace "$1" rollout status "deployment/$2" --timeout=300s; }
kubectl_ns_wait keda keda-operator
kubectl_ns_wait monitoring kube-prometheus-stack-grafana

cat >&2 <<EOF

Infrastructure is ready. Next:
  grep KAFKA_BOOTSTRAP_SERVERS $(basename "$ENV_FILE")
  ./deploy-consumer.sh
  ./deploy-producer.sh 10
Grafana admin password:
  kubectl -n monitoring get secret grafana-admin -o jsonpath='{.data.admin-password}' | base64 -d; echo
EOF
