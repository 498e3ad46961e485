################################################################################
# IAM per tenant: producer, consumer and KEDA reader roles, least privilege on exact MSK resources
#
# What each workload may do on Kafka is written once, in kafka-permissions.json; the provider-free
# module kafka-tenant-policies turns it into one policy document per tenant and workload, naming only
# that tenant's topic, dead-letter topic and group ARNs (its `terraform test` checks it offline).
#
# How Kafka requests map to MSK IAM actions (MSK "Semantics of IAM authorization policy actions"):
#   Metadata / DescribeTopics -> kafka-cluster:DescribeTopic (topic)
#   ListOffsets               -> kafka-cluster:DescribeTopic (topic)
#   OffsetFetch               -> kafka-cluster:DescribeGroup (group) + DescribeTopic (topic)
#   Produce                   -> kafka-cluster:WriteData (topic), idempotent: WriteDataIdempotently (cluster)
#   Fetch                     -> kafka-cluster:ReadData (topic), which requires AlterGroup (group)
#   JoinGroup/SyncGroup/Heartbeat/OffsetCommit -> DescribeGroup + AlterGroup (group)
#   CreateTopics              -> kafka-cluster:CreateTopic (topic)
# Every action also requires kafka-cluster:Connect on the cluster.
#
# KEDA's kafka scaler (sarama) makes exactly Metadata (DescribeTopics), OffsetFetch
# (ListConsumerGroupOffsets) and ListOffsets (GetOffset) calls: Connect + DescribeTopic +
# DescribeGroup are enough, it never reads records, so the keda-reader gets no ReadData, no AlterGroup.
#
# Who holds which role:
#   producer, consumer  EKS Pod Identity: the ServiceAccount trade-tx-producer / trade-tx-consumer in the
#                       tenant's namespace (k8s/*-serviceaccount.yaml)
#   keda-reader         assumed by the KEDA operator's role, once per tenant, through that tenant's
#                       TriggerAuthentication (podIdentity.roleArn)
#   KEDA operator       EKS Pod Identity on keda/keda-operator; it may only assume the tenants'
#                       keda-reader roles and holds no Kafka access itself, so no single component can
#                       read the lag of every tenant with one identity
################################################################################

locals {
  kafka_permissions = jsondecode(file("${path.module}/kafka-permissions.json"))

  # The ServiceAccount of each workload that runs as a pod of the tenant (k8s/*-serviceaccount.yaml).
  pod_identity_service_accounts = {
    producer = "trade-tx-producer"
    consumer = "trade-tx-consumer"
  }
  keda_reader_workload = "keda-reader"

  # "<tenant>/<workload>" => { tenant, workload, role_name, policy }
  tenant_roles = module.tenant_kafka_policies.role_policies
  tenant_pod_identities = {
    for key, role in local.tenant_roles : key => {
      namespace       = var.tenants[role.tenant].namespace
      service_account = local.pod_identity_service_accounts[role.workload]
    } if contains(keys(local.pod_identity_service_accounts), role.workload)
  }
}

module "tenant_kafka_policies" {
  source = "./modules/kafka-tenant-policies"

  workloads   = local.kafka_permissions.workloads
  cluster_arn = local.msk_cluster_arn
  tenants = {
    for name, tenant in var.tenants : name => {
      topic_arn             = "${local.msk_topic_arn_prefix}/${tenant.topic}"
      dead_letter_topic_arn = "${local.msk_topic_arn_prefix}/${tenant.dead_letter_topic}"
      group_arn             = "${local.msk_group_arn_prefix}/${tenant.consumer_group}"
      role_name_prefix      = tenant.iam_role_prefix
    }
  }
}

data "aws_iam_policy_document" "pod_identity_trust" {
  statement {
    sid     = "EksPodIdentity"
    effect  = "Allow"
    actions = ["sts:AssumeRole", "sts:TagSession"]

    principals {
      type        = "Service"
      identifiers = ["pods.eks.amazonaws.com"]
    }
  }
}

# A tenant's KEDA reader is assumed by the KEDA operator's role, never by a pod. TagSession: EKS Pod
# Identity's session tags travel along when the operator assumes the reader.
data "aws_iam_policy_document" "keda_reader_trust" {
  statement {
    sid     = "AssumedByKedaOperator"
    effect  = "Allow"
    actions = ["sts:AssumeRole", "sts:TagSession"]

    principals {
      type        = "AWS"
      identifiers = [aws_iam_role.keda_operator.arn]
    }
  }
}

resource "aws_iam_role" "tenant" {
  for_each = local.tenant_roles

  name = each.value.role_name
  description = (each.value.workload == local.keda_reader_workload
    ? "KEDA's reader of tenant ${each.value.tenant}'s lag, assumed by ${var.keda_namespace}/keda-operator"
    : "EKS Pod Identity role of ${var.tenants[each.value.tenant].namespace}/${lookup(local.pod_identity_service_accounts, each.value.workload, "")}"
  )
  assume_role_policy = (each.value.workload == local.keda_reader_workload
    ? data.aws_iam_policy_document.keda_reader_trust.json
    : data.aws_iam_policy_document.pod_identity_trust.json
  )

  tags = merge(local.tags, { Tenant = each.value.tenant })

  lifecycle {
    precondition {
      condition     = each.value.workload == local.keda_reader_workload || contains(keys(local.pod_identity_service_accounts), each.value.workload)
      error_message = "Workload ${each.value.workload} of kafka-permissions.json has no ServiceAccount in local.pod_identity_service_accounts and is not the keda-reader: nobody could use its role."
    }
  }
}

resource "aws_iam_role_policy" "tenant_msk" {
  for_each = local.tenant_roles

  name   = "msk-access"
  role   = aws_iam_role.tenant[each.key].id
  policy = each.value.policy
}

resource "aws_eks_pod_identity_association" "tenant" {
  for_each = local.tenant_pod_identities

  cluster_name    = module.eks.cluster_name
  namespace       = each.value.namespace
  service_account = each.value.service_account
  role_arn        = aws_iam_role.tenant[each.key].arn

  tags = merge(local.tags, { Tenant = local.tenant_roles[each.key].tenant })
}

################################################################################
# The KEDA operator: may assume the tenants' readers, nothing else
################################################################################

resource "aws_iam_role" "keda_operator" {
  name               = "${local.name}-keda"
  description        = "EKS Pod Identity role of ${var.keda_namespace}/keda-operator"
  assume_role_policy = data.aws_iam_policy_document.pod_identity_trust.json

  tags = local.tags
}

data "aws_iam_policy_document" "keda_operator" {
  statement {
    sid       = "AssumeTenantKedaReaders"
    effect    = "Allow"
    actions   = ["sts:AssumeRole", "sts:TagSession"]
    resources = [for key, role in aws_iam_role.tenant : role.arn if local.tenant_roles[key].workload == local.keda_reader_workload]
  }
}

resource "aws_iam_role_policy" "keda_operator" {
  name   = "assume-tenant-keda-readers"
  role   = aws_iam_role.keda_operator.id
  policy = data.aws_iam_policy_document.keda_operator.json
}

resource "aws_eks_pod_identity_association" "keda_operator" {
  cluster_name    = module.eks.cluster_name
  namespace       = var.keda_namespace
  service_account = "keda-operator"
  role_arn        = aws_iam_role.keda_operator.arn

  tags = local.tags
}

################################################################################
# Addresses before tenants (one role per workload in aws_iam_role.pod): the deployment without
# TENANTS is the tenant "default", so its roles and associations move instead of being replaced.
# The KEDA role keeps its name and association; its Kafka grant becomes the default tenant's reader.
################################################################################

moved {
  from = aws_iam_role.pod["producer"]
  to   = aws_iam_role.tenant["default/producer"]
}

moved {
  from = aws_iam_role.pod["consumer"]
  to   = aws_iam_role.tenant["default/consumer"]
}

moved {
  from = aws_iam_role.pod["keda"]
  to   = aws_iam_role.keda_operator
}

moved {
  from = aws_iam_role_policy.pod_msk["producer"]
  to   = aws_iam_role_policy.tenant_msk["default/producer"]
}

moved {
  from = aws_iam_role_policy.pod_msk["consumer"]
  to   = aws_iam_role_policy.tenant_msk["default/consumer"]
}

moved {
  from = aws_iam_role_policy.pod_msk["keda"]
  to   = aws_iam_role_policy.keda_operator
}

moved {
  from = aws_eks_pod_identity_association.pod["producer"]
  to   = aws_eks_pod_identity_association.tenant["default/producer"]
}

moved {
  from = aws_eks_pod_identity_association.pod["consumer"]
  to   = aws_eks_pod_identity_association.tenant["default/consumer"]
}

moved {
  from = aws_eks_pod_identity_association.pod["keda"]
  to   = aws_eks_pod_identity_association.keda_operator
}
