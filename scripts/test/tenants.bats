#!/usr/bin/env bats
# --tenant NAME: every script acts on one tenant's namespace and names, and only on it.

load helpers

setup() {
  setup_stubs
  # Two tenants, acme with its own scaling settings; what deploy-infra.sh writes for the NetworkPolicy.
  setting 'TENANTS=acme, globex'
  setting 'TENANT_ACME_LAG_THRESHOLD=2000'
  setting 'TENANT_ACME_MAX_REPLICAS=12'
  setting 'TENANT_ACME_RATE_THRESHOLD=45'
  setting 'CLUSTER_DNS_IP=172.20.0.10'
}

rendered_file() { sed -n 's/.*rendered manifests: //p' <<<"$output"; }

# The value of `key: value` in the rendered document of the given kind (first match).
field() { # field FILE KIND KEY
  awk -v kind="$2" -v key="$3" '
    /^---/ { in_kind = 0 }
    $0 ~ "^kind: " kind "$" { in_kind = 1 }
    in_kind && $1 == key ":" { sub("^ *" key ": *", ""); gsub("\"", ""); print; exit }
  ' "$1"
}

@test "--tenant acme: the tenant's namespace, names and settings, every kubectl call on the project's context" {
  run "$REPO/deploy-consumer.sh" --tenant acme
  [ "$status" -eq 0 ]
  assert_context_pinned
  assert_called "^kubectl --context $CONTEXT --namespace trade-tx-acme apply -f "
  refute_called "--namespace (default|trade-tx-globex) "
  rendered="$(rendered_file)"
  [ "$(field "$rendered" ScaledObject consumerGroup)" == trade-tx-consumer-acme ]
  [ "$(field "$rendered" ScaledObject topic)" == trade-tx-acme ]
  [ "$(field "$rendered" ScaledObject lagThreshold)" == 2000 ]
  [ "$(field "$rendered" ScaledObject maxReplicaCount)" == 12 ]
  [ "$(field "$rendered" ScaledObject threshold)" == 45 ]
  [ "$(field "$rendered" TriggerAuthentication roleArn)" == arn:aws:iam::ACCOUNT:role/trade-tx-acme-keda-reader ]
  grep -A1 -- '- name: DLQ_TOPIC' "$rendered" | grep -q 'value: "trade-tx-acme.dlq"'
  # The isolation objects come with the apps: 12 + 1 surge + 2 headroom consumers, + 1 producer.
  [ "$(field "$rendered" ResourceQuota pods)" == 16 ]
  [ "$(field "$rendered" ResourceQuota requests.cpu)" == 4000m ]
  [ "$(field "$rendered" ResourceQuota requests.memory)" == 6144Mi ]
  grep -q '^kind: NetworkPolicy$' "$rendered"
  grep -q 'cidr: "172.20.0.10/32"' "$rendered"
  grep -q '^kind: LimitRange$' "$rendered"
}

@test "--tenant acme: the namespace is applied first, labelled with its tenant and Pod Security restricted" {
  run "$REPO/deploy-consumer.sh" --tenant acme
  [ "$status" -eq 0 ]
  namespace_file="$(grep -m1 -oE "^kubectl --context $CONTEXT apply -f [^ ]+" "$STUB_LOG" | awk '{print $NF}')"
  [ -n "$namespace_file" ]
  grep -q '^  name: trade-tx-acme$' "$namespace_file"
  grep -q 'trade-tx.io/tenant: acme' "$namespace_file"
  grep -q 'pod-security.kubernetes.io/enforce: restricted' "$namespace_file"
  namespace="$(grep -n "^kubectl --context $CONTEXT apply -f " "$STUB_LOG" | head -1 | cut -d: -f1)"
  apps="$(grep -n ' --namespace trade-tx-acme apply -f ' "$STUB_LOG" | cut -d: -f1)"
  ((namespace < apps))
  refute_called "create namespace"
}

@test "--tenant acme: the namespace names acme's KEDA reader role, the one its TriggerAuthentication names" {
  for script in deploy-consumer.sh "deploy-producer.sh 10"; do
    : >"$STUB_LOG"
    # shellcheck disable=SC2086 # the producer's rate is a second word
    run "$REPO/"$script --tenant acme
    [ "$status" -eq 0 ]
    # deploy-producer.sh applies the namespace too: it looks the role up itself, so a producer deploy
    # never drops the annotation the admission policy compares with.
    assert_called "^aws iam get-role --role-name trade-tx-acme-keda-reader "
    namespace_file="$(grep -m1 -oE "^kubectl --context $CONTEXT apply -f [^ ]+" "$STUB_LOG" | awk '{print $NF}')"
    grep -qx '    trade-tx.io/keda-reader-role-arn: "arn:aws:iam::ACCOUNT:role/trade-tx-acme-keda-reader"' "$namespace_file"
  done
  run "$REPO/deploy-consumer.sh" --tenant acme
  [ "$(field "$(rendered_file)" TriggerAuthentication roleArn)" == arn:aws:iam::ACCOUNT:role/trade-tx-acme-keda-reader ]
}

@test "two tenants' deploys share no namespace, topic, group, role or reader" {
  run "$REPO/deploy-consumer.sh" --tenant acme
  [ "$status" -eq 0 ]
  acme="$(rendered_file)"
  run "$REPO/deploy-consumer.sh" --tenant globex
  [ "$status" -eq 0 ]
  globex="$(rendered_file)"
  for key in consumerGroup topic; do
    [ "$(field "$acme" ScaledObject "$key")" != "$(field "$globex" ScaledObject "$key")" ]
  done
  [ "$(field "$globex" ScaledObject topic)" == trade-tx-globex ]
  [ "$(field "$globex" ScaledObject maxReplicaCount)" == 24 ]
  [ "$(field "$globex" ScaledObject threshold)" == 90 ]
  [ "$(field "$acme" TriggerAuthentication roleArn)" != "$(field "$globex" TriggerAuthentication roleArn)" ]
  assert_called "--namespace trade-tx-globex apply -f "
  assert_context_pinned
}

@test "an unknown tenant is refused with the declared ones, before any AWS or cluster call" {
  for script in deploy-consumer.sh "deploy-producer.sh 10" "destroy.sh --yes"; do
    # shellcheck disable=SC2086 # the script and its argument
    run "$REPO"/$script --tenant initech
    [ "$status" -ne 0 ]
    [[ "$output" == *"--tenant initech: unknown tenant; TENANTS declares: acme globex"* ]] || { echo "$script: $output"; return 1; }
  done
  [ ! -s "$STUB_LOG" ]
}

@test "with TENANTS set a script needs --tenant; without TENANTS it refuses one" {
  run "$REPO/deploy-consumer.sh"
  [ "$status" -ne 0 ]
  [[ "$output" == *"TENANTS is set (acme, globex): name the tenant with --tenant NAME (one of: acme globex)"* ]]
  sed -i '/^TENANT/d' "$ENV_FILE"
  run "$REPO/deploy-producer.sh" --tenant acme 10
  [ "$status" -ne 0 ]
  [[ "$output" == *"--tenant acme: no tenants are declared (TENANTS is empty"* ]]
  run "$REPO/deploy-infra.sh" --tenant acme
  [ "$status" -ne 0 ]
  [[ "$output" == *"takes no --tenant"* ]]
  [ ! -s "$STUB_LOG" ]
}

@test "a TENANT_ setting of no declared tenant is refused, naming the line" {
  setting 'TENANT_INITECH_MAX_REPLICAS=3'
  run "$REPO/deploy-consumer.sh" --tenant acme
  [ "$status" -ne 0 ]
  [[ "$output" == *"TENANT_INITECH_MAX_REPLICAS is not a per-tenant setting"* ]]
  [ ! -s "$STUB_LOG" ]
}

@test "--dry-run --tenant of every script only reads, and .env stays as it was" {
  before="$(sha256sum "$ENV_FILE")"
  for script in "deploy-consumer.sh" "deploy-producer.sh 10" "destroy.sh"; do
    # shellcheck disable=SC2086 # the script and its argument
    run "$REPO"/$script --dry-run --tenant acme
    [ "$status" -eq 0 ] || { echo "$script: $output"; return 1; }
  done
  assert_read_only
  refute_called "^terraform "
  [ "$(sha256sum "$ENV_FILE")" == "$before" ]
}

@test "deploy-producer.sh --tenant acme N on a running producer patches that tenant's rate and keeps it as its own setting" {
  rule 'kubectl|*get deployment/trade-tx-producer*|0|deployment.apps/trade-tx-producer|'
  run "$REPO/deploy-producer.sh" --tenant acme 250
  [ "$status" -eq 0 ]
  assert_called "^kubectl --context $CONTEXT --namespace trade-tx-acme patch configmap trade-tx-producer-rate "
  refute_called " apply "
  grep -qx 'TENANT_ACME_MESSAGES_PER_SECOND=250' "$ENV_FILE"
  [ -z "$(grep '^MESSAGES_PER_SECOND=' "$ENV_FILE" || true)" ]
}

@test "a tenant whose IAM roles do not exist yet is not deployed: run deploy-infra.sh first" {
  rule 'aws|iam get-role --role-name trade-tx-acme-keda-reader *|254||An error occurred (NoSuchEntity) when calling the GetRole operation'
  run "$REPO/deploy-consumer.sh" --tenant acme
  [ "$status" -ne 0 ]
  [[ "$output" == *"IAM role trade-tx-acme-keda-reader (KEDA's reader of tenant acme) cannot be read: run ./deploy-infra.sh"* ]]
  refute_called " apply "
  refute_called "^docker "
}

@test "a tenant deploy without the cluster's DNS address (deploy-infra.sh not run since) stops before any change" {
  sed -i '/^CLUSTER_DNS_IP=/d' "$ENV_FILE"
  run "$REPO/deploy-consumer.sh" --tenant acme
  [ "$status" -ne 0 ]
  [[ "$output" == *"CLUSTER_DNS_IP='' is not an IPv4 address: run ./deploy-infra.sh"* ]]
  [ ! -s "$STUB_LOG" ]
}

@test "deploy-infra.sh gives Terraform every tenant with its own names" {
  run "$REPO/deploy-infra.sh"
  [ "$status" -eq 0 ]
  apply="$(grep '^terraform .* apply ' "$STUB_LOG")"
  for expected in 'acme\"=\{namespace=\"trade-tx-acme\"' 'topic=\"trade-tx-acme\"' 'dead_letter_topic=\"trade-tx-acme.dlq\"' \
    'consumer_group=\"trade-tx-consumer-acme\"' 'iam_role_prefix=\"trade-tx-acme\"' 'globex\"=\{namespace=\"trade-tx-globex\"' \
    'iam_role_prefix=\"trade-tx-globex\"'; do
    [[ "$apply" == *"$expected"* ]] || { echo "missing $expected in: $apply"; return 1; }
  done
  [[ "$apply" != *'\"default\"'* ]]
  grep -qx 'CLUSTER_DNS_IP=172.20.0.10' "$ENV_FILE"
}

@test "deploy-infra.sh --adopt-topics imports every tenant's existing topics before the apply, and goes on past a missing one" {
  setting 'MSK_CLUSTER_ARN=arn:aws:kafka:us-east-1:ACCOUNT:cluster/trade-tx-msk/uuid'
  rule 'terraform|*import * aws_msk_topic.dead_letter?"globex"? *|1||Error: Cannot import non-existent remote object'
  run "$REPO/deploy-infra.sh" --adopt-topics
  [ "$status" -eq 0 ]
  # The stub logs arguments shell-quoted: aws_msk_topic.trade\[\"acme\"\] <cluster ARN>\,<topic>
  for pair in 'trade\\\[\\"acme\\"\\\] arn:aws:kafka:[^ ]+\\,trade-tx-acme$' \
    'dead_letter\\\[\\"acme\\"\\\] arn:[^ ]+\\,trade-tx-acme\.dlq$' \
    'trade\\\[\\"globex\\"\\\] arn:[^ ]+\\,trade-tx-globex$' \
    'dead_letter\\\[\\"globex\\"\\\] arn:[^ ]+\\,trade-tx-globex\.dlq$'; do
    assert_called "^terraform -chdir=[^ ]+ import -input=false .* aws_msk_topic\.$pair"
  done
  [[ "$output" == *"topic trade-tx-globex.dlq not imported"* && "$output" != *"topic trade-tx-acme not imported"* ]]
  last_import="$(grep -n ' import ' "$STUB_LOG" | tail -1 | cut -d: -f1)"
  apply="$(grep -n '^terraform .* apply ' "$STUB_LOG" | cut -d: -f1)"
  ((last_import < apply))
}

@test "destroy.sh --tenant acme deletes only acme's objects and namespace, ScaledObject first, and runs no Terraform" {
  rule 'kubectl|*get namespace trade-tx-acme -l *|0|namespace/trade-tx-acme|'
  run "$REPO/destroy.sh" --tenant acme --yes
  [ "$status" -eq 0 ]
  assert_context_pinned
  first_delete="$(grep -m1 ' delete ' "$STUB_LOG")"
  [[ "$first_delete" == *"--namespace trade-tx-acme delete scaledobject -l app.kubernetes.io/part-of=trade-tx "* ]]
  assert_called "--namespace trade-tx-acme delete networkpolicy -l "
  assert_called "^kubectl --context $CONTEXT delete namespace trade-tx-acme "
  refute_called "trade-tx-globex|--namespace default |--namespace monitoring "
  refute_called "^terraform "
  [[ "$output" == *"topics trade-tx-acme, trade-tx-acme.dlq and its IAM roles remain"* ]]
}

@test "destroy.sh without --tenant cleans every tenant's namespace, then destroys the stack" {
  run "$REPO/destroy.sh" --yes
  [ "$status" -eq 0 ]
  assert_called "--namespace trade-tx-acme delete scaledobject "
  assert_called "--namespace trade-tx-globex delete scaledobject "
  assert_called "^terraform .* destroy .*-var tenants=.*globex"
  assert_context_pinned
}
