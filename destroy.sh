#!/usr/bin/env bash
# Tears everything down and always reaches `terraform destroy`: the Kubernetes clean-up before it is
# best-effort (each step warns and goes on; skipped when the cluster is gone or unreachable), because
# MSK and the NAT gateway bill until Terraform has removed them. Exits non-zero only when Terraform
# itself fails.
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/scripts/lib.sh"

usage() {
  cat <<'EOF_USAGE'
Usage: ./destroy.sh [--tenant NAME] [--dry-run] [--yes] [--help]

Without --tenant, the whole stack:
1. Kubernetes clean-up, best-effort, through the kube context <CLUSTER_NAME>@<AWS_REGION> (never the
   current one), in the namespace of every tenant of TENANTS (or K8S_NAMESPACE without tenants): the
   ScaledObject and TriggerAuthentication first (so KEDA stops scaling), then the producer and
   consumer Deployments, ConfigMap, PodDisruptionBudget, metrics Service/ServiceMonitor,
   ServiceAccounts, NetworkPolicies, ResourceQuota, LimitRange (all selected by the label
   app.kubernetes.io/part-of=trade-tx), the namespace when this project created it; then
   Prometheus' volume claim. A failing step is reported and skipped;
   a missing resource type (KEDA or the Prometheus stack never installed) is not an error.
   Skipped entirely when the cluster does not exist, cannot be described or cannot be reached.
2. `terraform destroy` in infra-tf/ (MSK, EKS, VPC, ECR with its images, IAM roles). When the
   cluster is gone or its API does not answer, the in-cluster Helm/Kubernetes resources are first
   dropped from the Terraform state (they go with the cluster), so the destroy does not need the API.
3. A list of what could not be deleted. The exit code is Terraform's.

With --tenant NAME, only that tenant's Kubernetes objects and namespace, the same way as step 1, and
no Terraform: the cluster, MSK and the other tenants keep running. The tenant's topics (with their
data) and IAM roles stay until NAME is removed from TENANTS and ./deploy-infra.sh runs again. The exit
code is 1 when something could not be deleted.

Options:
  --tenant NAME  remove only tenant NAME's Kubernetes side (one of TENANTS)
  --dry-run      print the commands that would change anything instead of running them
  --yes          do not ask for confirmation
  --help         this text
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

if [[ -n "$TENANT_ARG" ]]; then
  require_tools aws kubectl
else
  require_tools aws terraform
fi
load_env
if [[ -n "$TENANT_ARG" ]]; then
  select_tenant "$TENANT_ARG"
fi

if [[ "$DRY_RUN" != 1 && "$assume_yes" != 1 ]]; then
  [[ -t 0 ]] || die "refusing to destroy without a terminal; pass --yes"
  if [[ -n "$TENANT_ARG" ]]; then
    read -r -p "Delete tenant '$TENANT' (namespace $K8S_NAMESPACE) from cluster '$CLUSTER_NAME'? Type '$TENANT': " answer
    [[ "$answer" == "$TENANT" ]] || die "aborted"
  else
    read -r -p "Destroy cluster '$CLUSTER_NAME', MSK and all images in $AWS_REGION? Type 'destroy': " answer
    [[ "$answer" == destroy ]] || die "aborted"
  fi
fi

NOT_DELETED=()
not_deleted() {
  NOT_DELETED+=("$1")
  warn "$1"
}

# --- 1. Kubernetes, best-effort ------------------------------------------------------------------
# cluster_api: reachable | unreachable (the cluster exists, its API does not answer) | gone (no such
# cluster) | unknown (not checked: no kubectl, describe failed, cluster not ACTIVE). Terraform is left
# to reach the API itself unless it is known to be unreachable or gone.
cluster_api=unknown
kubernetes_cleanup() {
  if ! command -v kubectl >/dev/null 2>&1; then
    not_deleted "Kubernetes objects: kubectl is not installed, clean-up skipped (they go with the cluster)"
    return 0
  fi
  local status err
  err="$(mktemp "${TMPDIR:-/tmp}/trade-tx-destroy.XXXXXX")"
  if ! status="$(cluster_status 2>"$err")"; then
    if grep -q ResourceNotFoundException "$err"; then
      cluster_api=gone
      warn "EKS cluster $CLUSTER_NAME does not exist in $AWS_REGION: Kubernetes clean-up skipped"
    else
      not_deleted "Kubernetes objects: cluster $CLUSTER_NAME could not be described ($(tail -n 1 "$err")), clean-up skipped"
    fi
    rm -f "$err"
    return 0
  fi
  rm -f "$err"
  if [[ "$status" != ACTIVE && "$status" != UPDATING ]]; then
    not_deleted "Kubernetes objects: cluster $CLUSTER_NAME is $status, clean-up skipped"
    return 0
  fi
  if ! ensure_kube_context missing; then
    not_deleted "Kubernetes objects: no kube context $KUBE_CONTEXT, clean-up skipped"
    return 0
  fi
  if [[ "$KUBE_CONTEXT_READY" == 1 ]] && ! kube_query get namespace kube-system -o name --request-timeout=20s >/dev/null; then
    cluster_api=unreachable
    not_deleted "Kubernetes objects: the API of $CLUSTER_NAME cannot be reached (is your address in EKS_PUBLIC_ACCESS_CIDRS?), clean-up skipped"
    return 0
  fi
  cluster_api=reachable

  if [[ -n "$TENANT_ARG" ]]; then
    cleanup_namespace
    return 0
  fi
  local tenant
  if ((${#TENANT_LIST[@]})); then
    for tenant in "${TENANT_LIST[@]}"; do
      K8S_NAMESPACE="$(
        select_tenant "$tenant" >/dev/null
        printf '%s' "$K8S_NAMESPACE"
      )" || exit 1
      cleanup_namespace
    done
  else
    cleanup_namespace
  fi
  # helm uninstall (terraform destroy) keeps a StatefulSet's volume claims; without this the EBS
  # volume of Prometheus would outlive the cluster. The namespace belongs to this project's
  # kube-prometheus-stack alone; a claim is released once its pod is gone.
  kube --namespace "${MONITORING_NAMESPACE:-monitoring}" delete pvc --all --ignore-not-found --wait=false ||
    not_deleted "Prometheus volume claim in ${MONITORING_NAMESPACE:-monitoring} (check for an unattached EBS volume)"
}

# Deletes our objects in K8S_NAMESPACE, ScaledObject first, then the namespace if this project made it.
cleanup_namespace() {
  info "deleting the Kubernetes objects labelled $PART_OF_LABEL in $K8S_NAMESPACE (ScaledObject first)"
  local kind
  for kind in scaledobject triggerauthentication deployment configmap poddisruptionbudget servicemonitor service \
    serviceaccount networkpolicy resourcequota limitrange; do
    delete_kind "$kind"
  done
  if [[ "$K8S_NAMESPACE" != default ]]; then
    if [[ -n "$(kube_query get namespace "$K8S_NAMESPACE" -l "$PART_OF_LABEL" -o name 2>/dev/null)" ]]; then
      kube delete namespace "$K8S_NAMESPACE" --ignore-not-found --wait=false ||
        not_deleted "namespace $K8S_NAMESPACE (kubectl delete failed)"
    fi
  fi
}

# Deletes every object of one kind with our label; a kind the cluster does not know is fine.
delete_kind() {
  local kind="$1" err rc=0
  err="$(mktemp "${TMPDIR:-/tmp}/trade-tx-destroy.XXXXXX")"
  kubectl_ns delete "$kind" -l "$PART_OF_LABEL" --ignore-not-found --wait=true --timeout=120s 2>"$err" || rc=$?
  cat "$err" >&2
  if ((rc != 0)); then
    if grep -qE "doesn't have a resource type|no matches for kind" "$err"; then
      info "no $kind resource type in the cluster (its operator was never installed): nothing to delete"
    else
      not_deleted "$kind objects in $K8S_NAMESPACE: $(tail -n 1 "$err")"
    fi
  fi
  rm -f "$err"
}

kubernetes_cleanup

if [[ -n "$TENANT_ARG" ]]; then
  echo >&2
  if ((${#NOT_DELETED[@]})); then
    warn "not deleted (or not checked):"
    printf '  - %s\n' "${NOT_DELETED[@]}" >&2
    exit 1
  fi
  info "done: tenant $TENANT's Kubernetes objects and namespace $K8S_NAMESPACE are deleted; its topics $KAFKA_TOPIC, $DLQ_TOPIC and its IAM roles remain until $TENANT is removed from TENANTS and ./deploy-infra.sh runs"
  exit 0
fi

# --- 2. Terraform --------------------------------------------------------------------------------
info "terraform destroy in infra-tf/"
cidrs="$(public_access_cidrs_hcl 2>/dev/null)" || {
  # Only a value for the variable: destroy never changes the endpoint it is about to delete.
  warn "cannot detect your public address; passing a placeholder for endpoint_public_access_cidrs"
  cidrs='["192.0.2.1/32"]'
}
terraform_vars "$cidrs"

tf_rc=0
terraform_init || tf_rc=$?
if ((tf_rc == 0)) && [[ "$cluster_api" == unreachable || "$cluster_api" == gone ]]; then
  # The helm/kubernetes providers cannot delete what is inside a cluster they cannot reach; those
  # objects disappear with the cluster, so Terraform forgets them instead of failing on them.
  in_cluster=()
  if [[ "$DRY_RUN" == 1 ]]; then
    print_cmd "[dry-run]" terraform -chdir="$TF_DIR" state list
  else
    while IFS= read -r address; do
      [[ "$address" =~ ^(helm_release|kubernetes_[a-z0-9_]+)\. ]] && in_cluster+=("$address")
    done < <(terraform -chdir="$TF_DIR" state list 2>/dev/null || true)
  fi
  if ((${#in_cluster[@]})); then
    warn "cluster API not reachable: removing ${#in_cluster[*]} in-cluster resources from the Terraform state"
    run terraform -chdir="$TF_DIR" state rm "${in_cluster[@]}" ||
      not_deleted "terraform state rm of the in-cluster resources failed"
    NOT_DELETED+=("in-cluster resources left to the cluster's deletion: ${in_cluster[*]} (check for unattached EBS volumes if the cluster was not deleted)")
  fi
fi
if ((tf_rc == 0)); then
  run terraform -chdir="$TF_DIR" destroy -input=false -auto-approve "${TF_VARS[@]}" || tf_rc=$?
fi

if ((tf_rc == 0)); then
  run kubectl config delete-context "$KUBE_CONTEXT" >/dev/null 2>&1 || true
fi

# --- 3. Report -----------------------------------------------------------------------------------
echo >&2
if ((${#NOT_DELETED[@]})); then
  warn "not deleted (or not checked):"
  printf '  - %s\n' "${NOT_DELETED[@]}" >&2
fi
if ((tf_rc != 0)); then
  printf 'ERROR: terraform failed (exit %s): AWS resources may still exist and bill; fix the error above and run ./destroy.sh again\n' "$tf_rc" >&2
  exit "$tf_rc"
fi
info "done: terraform destroy completed"
