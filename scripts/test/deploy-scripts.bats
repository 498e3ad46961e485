#!/usr/bin/env bats
# deploy-infra.sh, deploy-consumer.sh and deploy-producer.sh against stub CLIs.

load helpers

setup() {
  setup_stubs
}

@test "every script names the project's kube context on every kubectl call, whatever path it takes" {
  run "$REPO/deploy-infra.sh"
  [ "$status" -eq 0 ]
  run "$REPO/deploy-consumer.sh"
  [ "$status" -eq 0 ]
  run "$REPO/deploy-producer.sh" 10
  [ "$status" -eq 0 ]
  rule 'kubectl|*get deployment/trade-tx-producer*|0|deployment.apps/trade-tx-producer|'
  run "$REPO/deploy-producer.sh" 20
  [ "$status" -eq 0 ]
  run "$REPO/destroy.sh" --yes
  [ "$status" -eq 0 ]
  assert_called "^kubectl --context $CONTEXT --namespace default apply -f "
  assert_context_pinned
}

@test "an existing context alias that points at another account's cluster is re-pointed before any kubectl call" {
  rule 'kubectl|config view*|0|arn:aws:eks:us-east-1:OTHERACCOUNT:cluster/trade-tx|'
  run "$REPO/deploy-consumer.sh"
  [ "$status" -eq 0 ]
  [[ "$output" == *"points at arn:aws:eks:us-east-1:OTHERACCOUNT:cluster/trade-tx"* ]]
  update="$(grep -n 'update-kubeconfig' "$STUB_LOG" | cut -d: -f1)"
  first_kubectl="$(grep -n '^kubectl --context' "$STUB_LOG" | head -1 | cut -d: -f1)"
  [ -n "$update" ] && ((update < first_kubectl))
}

@test "an existing context alias of this account's cluster is used as it is" {
  run "$REPO/deploy-consumer.sh"
  [ "$status" -eq 0 ]
  refute_called "update-kubeconfig"
}

@test "deploy-infra.sh refreshes the context alias and puts the operator's current context back" {
  run "$REPO/deploy-infra.sh"
  [ "$status" -eq 0 ]
  assert_called "^aws eks update-kubeconfig --region us-east-1 --name trade-tx --alias $CONTEXT$"
  assert_called "^kubectl config use-context someone-elses-cluster$"
  assert_called "^kubectl --context $CONTEXT --namespace keda rollout status deployment/keda-operator"
}

@test "deploy-infra.sh applies the cluster-wide KEDA admission policy through the project's context, once KEDA runs" {
  run "$REPO/deploy-infra.sh"
  [ "$status" -eq 0 ]
  assert_context_pinned
  policy_file="$(grep -oE "^kubectl --context $CONTEXT apply -f [^ ]+" "$STUB_LOG" | awk '{print $NF}')"
  [ "$(wc -l <<<"$policy_file")" -eq 1 ] && [ -f "$policy_file" ]
  grep -q '^kind: ValidatingAdmissionPolicy$' "$policy_file"
  grep -q '^kind: ValidatingAdmissionPolicyBinding$' "$policy_file"
  grep -q 'validationActions: \[Deny\]' "$policy_file"
  keda="$(grep -n 'rollout status deployment/keda-operator' "$STUB_LOG" | cut -d: -f1)"
  apply="$(grep -n "^kubectl --context $CONTEXT apply -f " "$STUB_LOG" | cut -d: -f1)"
  ((keda < apply))
}

@test "deploy-infra.sh --dry-run only prints the policy's apply" {
  run "$REPO/deploy-infra.sh" --dry-run
  [ "$status" -eq 0 ]
  refute_called "^kubectl --context [^ ]+ apply"
  # In a dry run the context is named from the placeholders of the Terraform outputs not read yet.
  [[ "$output" == *'[dry-run] kubectl --context \<cluster_name\>@\<region\> apply -f '*/rendered.yaml* ]]
}

@test "deploy-infra.sh needs neither docker nor jq, and runs terraform init without -upgrade" {
  PATH="$(path_without docker jq)"
  run "$REPO/deploy-infra.sh"
  [ "$status" -eq 0 ]
  refute_called "^docker "
  assert_called "^terraform -chdir=[^ ]+ init -input=false"
  refute_called "init .*-upgrade"
  assert_called "^terraform -chdir=[^ ]+ apply "
}

@test "deploy-infra.sh limits the EKS API endpoint to the caller's detected address" {
  run "$REPO/deploy-infra.sh"
  [ "$status" -eq 0 ]
  [[ "$output" == *"reachable only from your public address 203.0.113.7/32"* ]]
  assert_called 'apply .* -var endpoint_public_access_cidrs=\\\[\\"203\.0\.113\.7/32\\"\\\]'
}

@test "deploy-infra.sh takes EKS_PUBLIC_ACCESS_CIDRS instead, without asking anyone for the address" {
  setting 'EKS_PUBLIC_ACCESS_CIDRS=198.51.100.0/24, 203.0.113.7/32'
  run "$REPO/deploy-infra.sh"
  [ "$status" -eq 0 ]
  refute_called "^curl "
  assert_called 'endpoint_public_access_cidrs=\\\[\\"198\.51\.100\.0/24\\"\\,\\"203\.0\.113\.7/32\\"\\\]'
}

@test "deploy-infra.sh stops with a clear message when the address cannot be detected, before terraform" {
  rule 'curl|*|6||curl: (6) Could not resolve host: checkip.amazonaws.com'
  run "$REPO/deploy-infra.sh"
  [ "$status" -ne 0 ]
  [[ "$output" == *"cannot detect your public IPv4 address"*"set EKS_PUBLIC_ACCESS_CIDRS"* ]]
  refute_called "^terraform "
}

@test "deploy-infra.sh rejects a CIDR that is not one" {
  setting 'EKS_PUBLIC_ACCESS_CIDRS=203.0.113.7'
  run "$REPO/deploy-infra.sh"
  [ "$status" -ne 0 ]
  [[ "$output" == *"203.0.113.7 is not an IPv4 CIDR"* ]]
  refute_called "^terraform "
}

@test "one dead-letter topic name: the one Terraform grants is the one the consumer Deployment gets" {
  setting 'KAFKA_TOPIC=orders'
  run "$REPO/deploy-infra.sh"
  [ "$status" -eq 0 ]
  assert_called 'apply .* -var tenants=.*[{,]topic=\\"orders\\"\\,dead_letter_topic=\\"orders\.dlq\\"'
  run "$REPO/deploy-consumer.sh"
  [ "$status" -eq 0 ]
  rendered="$(sed -n 's/.*rendered manifests: //p' <<<"$output")"
  grep -A1 -- '- name: DLQ_TOPIC' "$rendered" | grep -q 'value: "orders.dlq"'
  grep -A1 -- '- name: KAFKA_TOPIC' "$rendered" | grep -q 'value: "orders"'
}

@test "an explicit DLQ_TOPIC is passed to both as well" {
  setting 'DLQ_TOPIC=orders-dead-letters'
  run "$REPO/deploy-infra.sh"
  [ "$status" -eq 0 ]
  assert_called '-var tenants=.*dead_letter_topic=\\"orders-dead-letters\\"'
}

@test "a namespace other than default is created (and labelled) before the apply" {
  setting 'K8S_NAMESPACE=payments'
  run "$REPO/deploy-consumer.sh"
  [ "$status" -eq 0 ]
  assert_called "^kubectl --context $CONTEXT create namespace payments$"
  assert_called "^kubectl --context $CONTEXT label namespace payments app.kubernetes.io/part-of=trade-tx$"
  create="$(grep -n 'create namespace' "$STUB_LOG" | cut -d: -f1)"
  apply="$(grep -n ' apply -f ' "$STUB_LOG" | cut -d: -f1)"
  ((create < apply))
  # The annotation the admission policy compares a TriggerAuthentication's roleArn with.
  assert_called "^kubectl --context $CONTEXT annotate namespace payments --overwrite trade-tx.io/keda-reader-role-arn=arn:aws:iam::ACCOUNT:role/trade-tx-keda-reader$"
  annotate="$(grep -n 'annotate namespace' "$STUB_LOG" | cut -d: -f1)"
  ((annotate < apply))
}

@test "an existing namespace is not created again; default never is" {
  setting 'K8S_NAMESPACE=payments'
  rule 'kubectl|*get namespace payments -o name*|0|namespace/payments|'
  run "$REPO/deploy-consumer.sh"
  [ "$status" -eq 0 ]
  refute_called "create namespace"
  setting 'K8S_NAMESPACE=default'
  run "$REPO/deploy-producer.sh" 5
  [ "$status" -eq 0 ]
  refute_called "create namespace"
  # default is annotated all the same: the single deployment's TriggerAuthentication lives there.
  assert_called "^kubectl --context $CONTEXT annotate namespace default --overwrite trade-tx.io/keda-reader-role-arn=arn:aws:iam::ACCOUNT:role/trade-tx-keda-reader$"
}

@test "images are tagged by the git commit, built for amd64 and pushed" {
  run "$REPO/deploy-consumer.sh"
  [ "$status" -eq 0 ]
  assert_called "^docker build --platform linux/amd64 -f [^ ]+/trade-tx-consumer/Dockerfile -t registry\.example\.invalid/trade-tx-consumer:0123456789ab "
  assert_called "^docker push registry\.example\.invalid/trade-tx-consumer:0123456789ab$"
}

@test "a tag already in ECR (immutable) is neither built nor pushed again" {
  rule 'aws|ecr describe-images*|0|0123456789ab|'
  run "$REPO/deploy-consumer.sh"
  [ "$status" -eq 0 ]
  refute_called "^docker "
  assert_called " apply -f "
}

@test "a work tree with uncommitted changes is refused; --allow-dirty tags <commit>-dirty-<time>" {
  rule 'git|*status --porcelain*|0| M trade-tx-consumer/pom.xml|'
  run "$REPO/deploy-consumer.sh"
  [ "$status" -ne 0 ]
  [[ "$output" == *"uncommitted changes"* ]]
  refute_called "^docker "
  refute_called " apply "
  run "$REPO/deploy-consumer.sh" --allow-dirty
  [ "$status" -eq 0 ]
  assert_called "^docker build .* -t registry\.example\.invalid/trade-tx-consumer:0123456789ab-dirty-[0-9]{8}T[0-9]{6}Z "
}

@test "--no-build refuses an image that is not in ECR" {
  run "$REPO/deploy-consumer.sh" --no-build
  [ "$status" -ne 0 ]
  [[ "$output" == *"is not in ECR"* ]]
  refute_called " apply "
}

@test "deploy-producer.sh N on a running producer only changes the rate: ConfigMap patch, no image, no apply" {
  rule 'kubectl|*get deployment/trade-tx-producer*|0|deployment.apps/trade-tx-producer|'
  run "$REPO/deploy-producer.sh" 250
  [ "$status" -eq 0 ]
  assert_called "^kubectl --context $CONTEXT --namespace default patch configmap trade-tx-producer-rate --type merge -p "
  grep -F 'patch configmap' "$STUB_LOG" | grep -qF 'MESSAGES_PER_SECOND\":\"250\"'
  assert_called "annotate pods -l app=trade-tx-producer --overwrite trade-tx.io/rate=250$"
  refute_called "^docker "
  refute_called "^aws ecr "
  refute_called " apply "
  refute_called " rollout "
  grep -qx 'MESSAGES_PER_SECOND=250' "$ENV_FILE"
}

@test "deploy-producer.sh N on a cluster it cannot ask stops instead of rebuilding" {
  rule 'kubectl|*get deployment/trade-tx-producer*|1||Unable to connect to the server: dial tcp: i/o timeout'
  run "$REPO/deploy-producer.sh" 250
  [ "$status" -ne 0 ]
  [[ "$output" == *"cannot look up deployment/trade-tx-producer"* ]]
  refute_called "^docker "
}

@test "a deploy stops before any change when the cluster does not exist" {
  rule 'aws|eks describe-cluster*|254||An error occurred (ResourceNotFoundException) when calling the DescribeCluster operation'
  run "$REPO/deploy-consumer.sh"
  [ "$status" -ne 0 ]
  [[ "$output" == *"run ./deploy-infra.sh first"* ]]
  refute_called "^kubectl --context"
  refute_called "^docker "
}

@test "--dry-run of every script only reads: no call changes anything and .env stays as it was" {
  before="$(sha256sum "$ENV_FILE")"
  for script in deploy-infra.sh deploy-consumer.sh "deploy-producer.sh 10" destroy.sh; do
    # shellcheck disable=SC2086 # the script and its argument
    run "$REPO"/$script --dry-run
    [ "$status" -eq 0 ] || { echo "$script: $output"; return 1; }
  done
  rule 'kubectl|*get deployment/trade-tx-producer*|0|deployment.apps/trade-tx-producer|'
  run "$REPO/deploy-producer.sh" --dry-run 300
  [ "$status" -eq 0 ]
  assert_read_only
  [ "$(sha256sum "$ENV_FILE")" == "$before" ]
}

@test "deploy-producer.sh --dry-run previews the rate-only path of a running producer" {
  rule 'kubectl|*get deployment/trade-tx-producer*|0|deployment.apps/trade-tx-producer|'
  run "$REPO/deploy-producer.sh" --dry-run 300
  [ "$status" -eq 0 ]
  [[ "$output" == *"[dry-run] kubectl --context $CONTEXT --namespace default patch configmap trade-tx-producer-rate"* ]]
  [[ "$output" != *"docker build"* ]]
  assert_read_only
}

@test "--dry-run without a kube context yet: prints the update-kubeconfig and runs no cluster query" {
  rule 'kubectl|config get-contexts*|0|someone-elses-cluster|'
  run "$REPO/deploy-consumer.sh" --dry-run
  [ "$status" -eq 0 ]
  [[ "$output" == *"[dry-run] aws eks update-kubeconfig --region us-east-1 --name trade-tx --alias $CONTEXT"* ]]
  refute_called "^kubectl --context"
  assert_read_only
}

@test "settings grammar: export, comments, quotes, and a line that is not NAME=VALUE" {
  cat >>"$ENV_FILE" <<'EOF_ENV'
export BATCH_SIZE=250
  # an indented comment
LAG_THRESHOLD=7000 # per replica
CONSUMER_GROUP="group # with hash"
KAFKA_TOPIC='orders'
EOF_ENV
  run bash -c 'source "$1/scripts/lib.sh"; load_env; printf "%s|%s|%s|%s|%s\n" "$BATCH_SIZE" "$LAG_THRESHOLD" "$CONSUMER_GROUP" "$KAFKA_TOPIC" "$DLQ_TOPIC"' _ "$REPO"
  [ "$status" -eq 0 ]
  [ "${lines[-1]}" == "250|7000|group # with hash|orders|orders.dlq" ] || {
    echo "$output"
    return 1
  }
  echo 'not a setting' >>"$ENV_FILE"
  run bash -c 'source "$1/scripts/lib.sh"; load_env' _ "$REPO"
  [ "$status" -ne 0 ]
  [[ "$output" == *"test.env:"*": not a NAME=VALUE line: not a setting"* ]]
}

@test "every script prints its usage on --help and touches nothing" {
  for script in deploy-infra.sh deploy-consumer.sh deploy-producer.sh destroy.sh; do
    run "$REPO/$script" --help
    [ "$status" -eq 0 ]
    [[ "${lines[0]}" == "Usage: ./$script"* ]] || { echo "$script: ${lines[0]}"; return 1; }
  done
  [ ! -s "$STUB_LOG" ]
}

@test "deploy-producer.sh accepts N from 0 to 100000 and nothing else" {
  for bad in abc -1 1.5 100001 99999999 ''; do
    run "$REPO/deploy-producer.sh" --dry-run "$bad"
    [ "$status" -ne 0 ] || { echo "accepted N='$bad'"; return 1; }
  done
  for good in 0 100000 007; do
    run "$REPO/deploy-producer.sh" --dry-run "$good"
    [ "$status" -eq 0 ] || { echo "rejected N='$good': $output"; return 1; }
  done
}
