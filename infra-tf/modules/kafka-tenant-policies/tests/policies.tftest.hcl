# Offline checks of the tenant policies (no provider, no AWS account): `terraform init && terraform test`
# in infra-tf/modules/kafka-tenant-policies. Paths are relative to that directory.

# Three tenants as infra-tf/iam.tf passes them: "default" (the deployment without TENANTS, whose roles
# keep the names trade-tx-producer, ...), and a and b (roles trade-tx-a-producer, ...).
variables {
  workloads   = jsondecode(file("../../kafka-permissions.json")).workloads
  cluster_arn = "arn:aws:kafka:eu-west-1:ACCOUNT_ID:cluster/trade-tx-msk/abcd1234-0123-abcd-5678-1234abcd5678-1"
  tenants = {
    default = {
      topic_arn             = "arn:aws:kafka:eu-west-1:ACCOUNT_ID:topic/trade-tx-msk/abcd1234-0123-abcd-5678-1234abcd5678-1/trade-tx"
      dead_letter_topic_arn = "arn:aws:kafka:eu-west-1:ACCOUNT_ID:topic/trade-tx-msk/abcd1234-0123-abcd-5678-1234abcd5678-1/trade-tx.dlq"
      group_arn             = "arn:aws:kafka:eu-west-1:ACCOUNT_ID:group/trade-tx-msk/abcd1234-0123-abcd-5678-1234abcd5678-1/trade-tx-consumer"
      role_name_prefix      = "trade-tx"
    }
    a = {
      topic_arn             = "arn:aws:kafka:eu-west-1:ACCOUNT_ID:topic/trade-tx-msk/abcd1234-0123-abcd-5678-1234abcd5678-1/trade-tx-a"
      dead_letter_topic_arn = "arn:aws:kafka:eu-west-1:ACCOUNT_ID:topic/trade-tx-msk/abcd1234-0123-abcd-5678-1234abcd5678-1/trade-tx-a.dlq"
      group_arn             = "arn:aws:kafka:eu-west-1:ACCOUNT_ID:group/trade-tx-msk/abcd1234-0123-abcd-5678-1234abcd5678-1/trade-tx-consumer-a"
      role_name_prefix      = "trade-tx-a"
    }
    b = {
      topic_arn             = "arn:aws:kafka:eu-west-1:ACCOUNT_ID:topic/trade-tx-msk/abcd1234-0123-abcd-5678-1234abcd5678-1/trade-tx-b"
      dead_letter_topic_arn = "arn:aws:kafka:eu-west-1:ACCOUNT_ID:topic/trade-tx-msk/abcd1234-0123-abcd-5678-1234abcd5678-1/trade-tx-b.dlq"
      group_arn             = "arn:aws:kafka:eu-west-1:ACCOUNT_ID:group/trade-tx-msk/abcd1234-0123-abcd-5678-1234abcd5678-1/trade-tx-consumer-b"
      role_name_prefix      = "trade-tx-b"
    }
  }
}

run "every_tenant_gets_every_workload" {
  command = apply

  assert {
    condition     = keys(output.policies) == ["a", "b", "default"]
    error_message = "one entry per tenant expected"
  }
  assert {
    condition     = alltrue([for t, ws in output.policies : keys(ws) == ["consumer", "keda-reader", "producer"]])
    error_message = "each tenant needs a producer, consumer and keda-reader policy"
  }
  assert {
    condition     = length(output.role_policies) == 9 && output.role_policies["b/keda-reader"].policy == output.policies["b"]["keda-reader"]
    error_message = "role_policies must flatten policies as <tenant>/<workload>"
  }
}

# Role names: the deployment without tenants keeps its roles (trade-tx-producer, trade-tx-consumer), a
# tenant's carry its name; every name is a valid IAM role name (no "/", at most 64) and names one role.
run "role_names_keep_the_single_tenant_names_and_never_collide" {
  command = apply

  assert {
    condition = (
      output.role_policies["default/producer"].role_name == "trade-tx-producer" &&
      output.role_policies["default/consumer"].role_name == "trade-tx-consumer" &&
      output.role_policies["default/keda-reader"].role_name == "trade-tx-keda-reader" &&
      output.role_policies["a/consumer"].role_name == "trade-tx-a-consumer" &&
      output.role_policies["b/keda-reader"].role_name == "trade-tx-b-keda-reader"
    )
    error_message = "role names must be <role_name_prefix>-<workload>"
  }
  assert {
    condition     = alltrue([for k, r in output.role_policies : can(regex("^[A-Za-z0-9+=,.@_-]{1,64}$", r.role_name))])
    error_message = "every role name must be a valid IAM role name: at most 64 characters, no /"
  }
  assert {
    condition     = length(distinct([for k, r in output.role_policies : r.role_name])) == length(output.role_policies)
    error_message = "two roles share a name"
  }
}

# Each pair of tenants: nothing one tenant's documents name (besides the shared cluster) appears in another's.
run "no_resource_of_one_tenant_in_another_tenants_policies" {
  command = apply

  assert {
    condition = alltrue(flatten([
      for t, ws in output.policies : [
        for other, other_ws in output.policies : [
          for w, p in other_ws : length(setintersection(
            toset(flatten([for s in jsondecode(p).Statement : s.Resource])),
            toset([var.tenants[t].topic_arn, var.tenants[t].dead_letter_topic_arn, var.tenants[t].group_arn])
          )) == 0
        ] if other != t
      ]
    ]))
    error_message = "a tenant's topic, dead-letter topic or group appears in another tenant's policy"
  }
}

run "a_tenant_policy_names_only_its_own_resources" {
  command = apply

  assert {
    condition = alltrue(flatten([
      for t, ws in output.policies : [
        for w, p in ws : length(setsubtract(
          toset(flatten([for s in jsondecode(p).Statement : s.Resource])),
          toset([var.cluster_arn, var.tenants[t].topic_arn, var.tenants[t].dead_letter_topic_arn, var.tenants[t].group_arn])
        )) == 0
      ]
    ]))
    error_message = "a tenant's policy names a resource that is not its own"
  }
  assert {
    condition = alltrue(flatten([
      for t, ws in output.policies : [
        for w, p in ws : [for s in jsondecode(p).Statement : s.Effect == "Allow" && !contains(s.Action, "kafka-cluster:*")]
      ]
    ]))
    error_message = "only Allow statements with named actions expected"
  }
}

# The documents of all three workloads are exactly what infra-tf/iam.tf granted the single-tenant roles
# before it built them from this module (its data "aws_iam_policy_document" blocks, statement by
# statement): moving to the module changed no grant.
run "documents_match_the_single_tenant_roles" {
  command = apply

  assert {
    condition = jsondecode(output.policies["default"]["producer"]).Statement == [
      { Sid = "Connect", Effect = "Allow", Action = ["kafka-cluster:Connect"], Resource = [var.cluster_arn] },
      { Sid = "IdempotentWrites", Effect = "Allow", Action = ["kafka-cluster:WriteDataIdempotently"], Resource = [var.cluster_arn] },
      { Sid = "WriteTradeTopic", Effect = "Allow", Action = ["kafka-cluster:DescribeTopic", "kafka-cluster:WriteData", "kafka-cluster:CreateTopic"], Resource = [var.tenants.default.topic_arn] },
    ]
    error_message = "producer policy differs from iam.tf's producer role"
  }
  assert {
    condition = jsondecode(output.policies["a"]["consumer"]).Statement == [
      { Sid = "Connect", Effect = "Allow", Action = ["kafka-cluster:Connect"], Resource = [var.cluster_arn] },
      { Sid = "IdempotentDeadLetterWrites", Effect = "Allow", Action = ["kafka-cluster:WriteDataIdempotently"], Resource = [var.cluster_arn] },
      { Sid = "ReadTradeTopic", Effect = "Allow", Action = ["kafka-cluster:DescribeTopic", "kafka-cluster:ReadData"], Resource = [var.tenants.a.topic_arn] },
      { Sid = "WriteDeadLetterTopic", Effect = "Allow", Action = ["kafka-cluster:DescribeTopic", "kafka-cluster:WriteData", "kafka-cluster:CreateTopic"], Resource = [var.tenants.a.dead_letter_topic_arn] },
      { Sid = "OwnConsumerGroup", Effect = "Allow", Action = ["kafka-cluster:DescribeGroup", "kafka-cluster:AlterGroup"], Resource = [var.tenants.a.group_arn] },
    ]
    error_message = "consumer policy differs from iam.tf's consumer role"
  }
  assert {
    condition = jsondecode(output.policies["b"]["keda-reader"]).Statement == [
      { Sid = "Connect", Effect = "Allow", Action = ["kafka-cluster:Connect"], Resource = [var.cluster_arn] },
      { Sid = "TopicMetadataAndOffsets", Effect = "Allow", Action = ["kafka-cluster:DescribeTopic"], Resource = [var.tenants.b.topic_arn] },
      { Sid = "GroupCommittedOffsets", Effect = "Allow", Action = ["kafka-cluster:DescribeGroup"], Resource = [var.tenants.b.group_arn] },
    ]
    error_message = "keda-reader policy differs from iam.tf's keda role"
  }
}

run "rejects_a_wildcard_arn" {
  command = plan
  variables {
    tenants = {
      a = {
        topic_arn             = "arn:aws:kafka:eu-west-1:ACCOUNT_ID:topic/trade-tx-msk/*"
        dead_letter_topic_arn = "arn:aws:kafka:eu-west-1:ACCOUNT_ID:topic/trade-tx-msk/x/trade-tx-a.dlq"
        group_arn             = "arn:aws:kafka:eu-west-1:ACCOUNT_ID:group/trade-tx-msk/x/trade-tx-consumer-a"
      }
    }
  }
  expect_failures = [var.tenants]
}

run "rejects_tenants_sharing_a_group" {
  command = plan
  variables {
    tenants = {
      a = {
        topic_arn             = "arn:aws:kafka:eu-west-1:ACCOUNT_ID:topic/trade-tx-msk/x/trade-tx-a"
        dead_letter_topic_arn = "arn:aws:kafka:eu-west-1:ACCOUNT_ID:topic/trade-tx-msk/x/trade-tx-a.dlq"
        group_arn             = "arn:aws:kafka:eu-west-1:ACCOUNT_ID:group/trade-tx-msk/x/shared"
      }
      b = {
        topic_arn             = "arn:aws:kafka:eu-west-1:ACCOUNT_ID:topic/trade-tx-msk/x/trade-tx-b"
        dead_letter_topic_arn = "arn:aws:kafka:eu-west-1:ACCOUNT_ID:topic/trade-tx-msk/x/trade-tx-b.dlq"
        group_arn             = "arn:aws:kafka:eu-west-1:ACCOUNT_ID:group/trade-tx-msk/x/shared"
      }
    }
  }
  expect_failures = [var.tenants]
}

run "rejects_an_unknown_resource_kind" {
  command = plan
  variables {
    workloads = {
      producer = [{ sid = "All", resource = "everything", actions = ["kafka-cluster:Connect"], why = "no" }]
    }
  }
  expect_failures = [var.workloads]
}

run "rejects_a_wildcard_action" {
  command = plan
  variables {
    workloads = {
      producer = [{ sid = "All", resource = "cluster", actions = ["kafka-cluster:*"], why = "no" }]
    }
  }
  expect_failures = [var.workloads]
}

run "rejects_a_role_name_with_a_slash" {
  command = plan
  variables {
    tenants = {
      a = {
        topic_arn             = "arn:aws:kafka:eu-west-1:ACCOUNT_ID:topic/trade-tx-msk/x/trade-tx-a"
        dead_letter_topic_arn = "arn:aws:kafka:eu-west-1:ACCOUNT_ID:topic/trade-tx-msk/x/trade-tx-a.dlq"
        group_arn             = "arn:aws:kafka:eu-west-1:ACCOUNT_ID:group/trade-tx-msk/x/trade-tx-consumer-a"
        role_name_prefix      = "tenants/a"
      }
    }
  }
  expect_failures = [var.tenants]
}

run "rejects_tenants_sharing_a_role_name_prefix" {
  command = plan
  variables {
    tenants = {
      a = {
        topic_arn             = "arn:aws:kafka:eu-west-1:ACCOUNT_ID:topic/trade-tx-msk/x/trade-tx-a"
        dead_letter_topic_arn = "arn:aws:kafka:eu-west-1:ACCOUNT_ID:topic/trade-tx-msk/x/trade-tx-a.dlq"
        group_arn             = "arn:aws:kafka:eu-west-1:ACCOUNT_ID:group/trade-tx-msk/x/trade-tx-consumer-a"
        role_name_prefix      = "trade-tx"
      }
      b = {
        topic_arn             = "arn:aws:kafka:eu-west-1:ACCOUNT_ID:topic/trade-tx-msk/x/trade-tx-b"
        dead_letter_topic_arn = "arn:aws:kafka:eu-west-1:ACCOUNT_ID:topic/trade-tx-msk/x/trade-tx-b.dlq"
        group_arn             = "arn:aws:kafka:eu-west-1:ACCOUNT_ID:group/trade-tx-msk/x/trade-tx-consumer-b"
        role_name_prefix      = "trade-tx"
      }
    }
  }
  expect_failures = [var.tenants]
}
