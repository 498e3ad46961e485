#!/usr/bin/env bats
# destroy.sh always reaches `terraform destroy`, whatever the Kubernetes side does.

load helpers

setup() {
  setup_stubs
}

@test "healthy cluster: objects deleted by label through the project's context, ScaledObject first, then terraform destroy" {
  run "$REPO/destroy.sh" --yes
  [ "$status" -eq 0 ]
  assert_context_pinned
  assert_called "^kubectl --context $CONTEXT --namespace default delete scaledobject -l app.kubernetes.io/part-of=trade-tx "
  first_delete="$(grep -m1 ' delete ' "$STUB_LOG")"
  [[ "$first_delete" == *" delete scaledobject "* ]]
  assert_called "delete deployment -l app.kubernetes.io/part-of=trade-tx "
  assert_called "^terraform -chdir=[^ ]+/infra-tf destroy -input=false -auto-approve "
  refute_called "state rm"
}

@test "unreachable cluster API: clean-up skipped with a warning, in-cluster resources dropped from the state, terraform destroy runs" {
  rule 'kubectl|--context *|1||Unable to connect to the server: dial tcp 203.0.113.9:443: i/o timeout'
  run "$REPO/destroy.sh" --yes
  [ "$status" -eq 0 ]
  [[ "$output" == *"cannot be reached"* ]]
  refute_called " delete "
  assert_called "^terraform .* state rm helm_release.keda helm_release.kube_prometheus_stack kubernetes_namespace_v1.monitoring$"
  assert_called "^terraform .* destroy "
  [[ "$output" == *"not deleted (or not checked):"* ]]
}

@test "missing resource types (KEDA and the Prometheus stack never installed): tolerated, the other kinds are deleted, terraform destroy runs" {
  rule "kubectl|*delete scaledobject*|1||error: the server doesn't have a resource type \"scaledobject\""
  rule "kubectl|*delete triggerauthentication*|1||error: the server doesn't have a resource type \"triggerauthentication\""
  rule "kubectl|*delete servicemonitor*|1||error: the server doesn't have a resource type \"servicemonitor\""
  run "$REPO/destroy.sh" --yes
  [ "$status" -eq 0 ]
  [[ "$output" == *"no scaledobject resource type in the cluster"* ]]
  assert_called "delete deployment -l "
  assert_called "delete serviceaccount -l "
  assert_called "^terraform .* destroy "
  [[ "$output" != *"not deleted"* ]]
}

@test "deleted cluster (describe-cluster: ResourceNotFoundException): no kubectl call at all, terraform destroy runs" {
  rule 'aws|eks describe-cluster*|254||An error occurred (ResourceNotFoundException) when calling the DescribeCluster operation: No cluster found for name: trade-tx.'
  run "$REPO/destroy.sh" --yes
  [ "$status" -eq 0 ]
  [[ "$output" == *"does not exist"* ]]
  refute_called "^kubectl --context"
  assert_called "^terraform .* state rm helm_release.keda "
  assert_called "^terraform .* destroy "
}

@test "describe-cluster failing for another reason (credentials): clean-up skipped and reported, terraform destroy runs" {
  rule 'aws|eks describe-cluster*|255||An error occurred (AccessDeniedException) when calling the DescribeCluster operation: not authorized'
  run "$REPO/destroy.sh" --yes
  [ "$status" -eq 0 ]
  [[ "$output" == *"could not be described (An error occurred (AccessDeniedException)"* ]]
  refute_called "^kubectl --context"
  refute_called "state rm"
  assert_called "^terraform .* destroy "
}

@test "one delete step failing: reported at the end, the next steps and terraform destroy still run" {
  rule 'kubectl|*delete deployment*|1||error: timed out waiting for the condition on deployments/trade-tx-consumer'
  run "$REPO/destroy.sh" --yes
  [ "$status" -eq 0 ]
  assert_called "delete configmap -l "
  assert_called "delete serviceaccount -l "
  assert_called "^terraform .* destroy "
  [[ "$output" == *"  - deployment objects in default: error: timed out waiting for the condition"* ]]
}

@test "kubectl not installed: clean-up skipped, Terraform left to reach the API itself, terraform destroy runs" {
  PATH="$(path_without kubectl)"
  run "$REPO/destroy.sh" --yes
  [ "$status" -eq 0 ]
  [[ "$output" == *"kubectl is not installed"* ]]
  refute_called "state rm"
  assert_called "^terraform .* destroy "
}

@test "missing kube context: created with update-kubeconfig --alias and the operator's current context is put back" {
  rule 'kubectl|config get-contexts*|0|someone-elses-cluster|'
  run "$REPO/destroy.sh" --yes
  [ "$status" -eq 0 ]
  assert_called "^aws eks update-kubeconfig --region us-east-1 --name trade-tx --alias $CONTEXT$"
  assert_called "^kubectl config use-context someone-elses-cluster$"
  assert_context_pinned
}

@test "terraform destroy failing: exit code is Terraform's" {
  rule 'terraform|*destroy*|1||Error: deleting EKS Cluster: timeout'
  run "$REPO/destroy.sh" --yes
  [ "$status" -eq 1 ]
  [[ "$output" == *"terraform failed (exit 1)"* ]]
}

@test "no terminal and no --yes: refuses before touching anything" {
  run "$REPO/destroy.sh" </dev/null
  [ "$status" -ne 0 ]
  [[ "$output" == *"pass --yes"* ]]
  [ ! -s "$STUB_LOG" ]
}
