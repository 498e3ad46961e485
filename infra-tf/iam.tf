################################################################################
# EKS Pod Identity: one role per workload, least privilege on exact MSK resources
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
# DescribeGroup are enough, it never reads records, so it gets no ReadData and no AlterGroup.
################################################################################

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

data "aws_iam_policy_document" "producer" {
  statement {
    sid       = "Connect"
    effect    = "Allow"
    actions   = ["kafka-cluster:Connect"]
    resources = [local.msk_cluster_arn]
  }

  # WriteDataIdempotently is a cluster-level action; it only matters if the producer enables
  # idempotence (acks=all), and grants no access to any other topic.
  statement {
    sid       = "IdempotentWrites"
    effect    = "Allow"
    actions   = ["kafka-cluster:WriteDataIdempotently"]
    resources = [local.msk_cluster_arn]
  }

  statement {
    sid    = "WriteTradeTopic"
    effect = "Allow"
    actions = [
      "kafka-cluster:DescribeTopic",
      "kafka-cluster:WriteData",
      "kafka-cluster:CreateTopic",
    ]
    resources = [local.msk_topic_arn]
  }
}

data "aws_iam_policy_document" "consumer" {
  statement {
    sid       = "Connect"
    effect    = "Allow"
    actions   = ["kafka-cluster:Connect"]
    resources = [local.msk_cluster_arn]
  }

  # The dead-letter producer is idempotent (acks=all, no duplicates on retry), which MSK checks at
  # cluster level; it grants no access to any topic.
  statement {
    sid       = "IdempotentDeadLetterWrites"
    effect    = "Allow"
    actions   = ["kafka-cluster:WriteDataIdempotently"]
    resources = [local.msk_cluster_arn]
  }

  statement {
    sid    = "ReadTradeTopic"
    effect = "Allow"
    actions = [
      "kafka-cluster:DescribeTopic",
      "kafka-cluster:ReadData",
    ]
    resources = [local.msk_topic_arn]
  }

  statement {
    sid    = "WriteDeadLetterTopic"
    effect = "Allow"
    # CreateTopic because auto.create.topics.enable=false: the consumer creates its DLQ on first use.
    actions = [
      "kafka-cluster:DescribeTopic",
      "kafka-cluster:WriteData",
      "kafka-cluster:CreateTopic",
    ]
    resources = [local.msk_dlq_arn]
  }

  statement {
    sid    = "OwnConsumerGroup"
    effect = "Allow"
    actions = [
      "kafka-cluster:DescribeGroup",
      "kafka-cluster:AlterGroup",
    ]
    resources = [local.msk_group_arn]
  }
}

data "aws_iam_policy_document" "keda" {
  statement {
    sid       = "Connect"
    effect    = "Allow"
    actions   = ["kafka-cluster:Connect"]
    resources = [local.msk_cluster_arn]
  }

  statement {
    sid       = "TopicMetadataAndOffsets"
    effect    = "Allow"
    actions   = ["kafka-cluster:DescribeTopic"]
    resources = [local.msk_topic_arn]
  }

  statement {
    sid       = "GroupCommittedOffsets"
    effect    = "Allow"
    actions   = ["kafka-cluster:DescribeGroup"]
    resources = [local.msk_group_arn]
  }
}

locals {
  pod_identities = {
    producer = {
      namespace       = var.app_namespace
      service_account = "trade-tx-producer"
      policy          = data.aws_iam_policy_document.producer.json
    }
    consumer = {
      namespace       = var.app_namespace
      service_account = "trade-tx-consumer"
      policy          = data.aws_iam_policy_document.consumer.json
    }
    keda = {
      namespace       = var.keda_namespace
      service_account = "keda-operator"
      policy          = data.aws_iam_policy_document.keda.json
    }
  }
}

resource "aws_iam_role" "pod" {
  for_each = local.pod_identities

  name               = "${local.name}-${each.key}"
  description        = "EKS Pod Identity role of ${each.value.namespace}/${each.value.service_account}"
  assume_role_policy = data.aws_iam_policy_document.pod_identity_trust.json

  tags = local.tags
}

resource "aws_iam_role_policy" "pod_msk" {
  for_each = local.pod_identities

  name   = "msk-access"
  role   = aws_iam_role.pod[each.key].id
  policy = each.value.policy
}

resource "aws_eks_pod_identity_association" "pod" {
  for_each = local.pod_identities

  cluster_name    = module.eks.cluster_name
  namespace       = each.value.namespace
  service_account = each.value.service_account
  role_arn        = aws_iam_role.pod[each.key].arn

  tags = local.tags
}
