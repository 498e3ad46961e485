################################################################################
# MSK: Kafka 4.1 (KRaft), 2 brokers, IAM SASL only, TLS everywhere, encrypted at rest
################################################################################

module "msk" {
  source  = "terraform-aws-modules/msk-kafka-cluster/aws"
  version = "~> 3.0"

  name                   = local.msk_name
  kafka_version          = var.kafka_version
  number_of_broker_nodes = var.msk_broker_count

  broker_node_client_subnets  = module.vpc.private_subnets
  broker_node_instance_type   = var.msk_broker_instance_type
  broker_node_security_groups = [aws_security_group.msk.id]
  broker_node_storage_info = {
    ebs_storage_info = { volume_size = var.msk_broker_volume_size }
  }

  # TLS between clients and brokers and between brokers; at rest with the AWS managed aws/msk key.
  encryption_in_transit_client_broker = "TLS"
  encryption_in_transit_in_cluster    = true

  # IAM (SASL/OAUTHBEARER-style AWS_MSK_IAM on port 9098) is the only way in.
  client_authentication = {
    sasl = {
      iam   = true
      scram = false
    }
    unauthenticated = false
  }

  configuration_name        = "${local.msk_name}-config"
  configuration_description = "trade-tx broker settings"
  configuration_server_properties = {
    # Topics are created explicitly (aws_msk_topic below, and the apps, which hold
    # kafka-cluster:CreateTopic on their own topic only), never as a side effect of a typo.
    "auto.create.topics.enable"  = false
    "default.replication.factor" = 2
    "min.insync.replicas"        = 1
    "num.partitions"             = 24
    "log.retention.hours"        = var.topic_retention_hours
  }

  # Prometheus (kube-prometheus-stack) scrapes these: JMX exporter on 11001, node exporter on 11002.
  jmx_exporter_enabled  = true
  node_exporter_enabled = true

  cloudwatch_logs_enabled                = true
  cloudwatch_log_group_retention_in_days = var.msk_log_retention_days

  # Storage auto-scaling is unnecessary for a demo with hours of retention.
  enable_storage_autoscaling = false

  tags = local.tags
}

resource "aws_security_group" "msk" {
  name_prefix = "${local.msk_name}-"
  description = "MSK brokers: IAM/TLS clients and Prometheus exporters from inside the VPC"
  vpc_id      = module.vpc.vpc_id

  tags = merge(local.tags, { Name = local.msk_name })

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_vpc_security_group_ingress_rule" "msk_iam" {
  security_group_id = aws_security_group.msk.id
  description       = "Kafka SASL/IAM over TLS from the VPC (EKS pods)"
  cidr_ipv4         = module.vpc.vpc_cidr_block
  ip_protocol       = "tcp"
  from_port         = 9098
  to_port           = 9098

  tags = local.tags
}

resource "aws_vpc_security_group_ingress_rule" "msk_exporters" {
  security_group_id = aws_security_group.msk.id
  description       = "Open monitoring: JMX exporter (11001) and node exporter (11002) from the VPC"
  cidr_ipv4         = module.vpc.vpc_cidr_block
  ip_protocol       = "tcp"
  from_port         = 11001
  to_port           = 11002

  tags = local.tags
}

resource "aws_vpc_security_group_egress_rule" "msk_all" {
  security_group_id = aws_security_group.msk.id
  description       = "Outbound inside the VPC"
  cidr_ipv4         = module.vpc.vpc_cidr_block
  ip_protocol       = "-1"

  tags = local.tags
}

locals {
  # ARNs for kafka-cluster IAM actions: cluster/NAME/UUID, topic/NAME/UUID/TOPIC, group/NAME/UUID/GROUP.
  msk_arn_prefix       = "arn:${data.aws_partition.current.partition}:kafka:${local.region}:${data.aws_caller_identity.current.account_id}"
  msk_cluster_arn      = module.msk.arn
  msk_topic_arn_prefix = "${local.msk_arn_prefix}:topic/${local.msk_name}/${module.msk.cluster_uuid}"
  msk_group_arn_prefix = "${local.msk_arn_prefix}:group/${local.msk_name}/${module.msk.cluster_uuid}"

  # Broker host names (b-1..., b-2...) for the Prometheus scrape config of the exporters.
  msk_broker_hosts = [for b in split(",", coalesce(module.msk.bootstrap_brokers_sasl_iam, "")) : split(":", b)[0] if b != ""]
}

################################################################################
# Topics: each tenant's trade topic and dead-letter topic, through MSK's topic API (no Kafka client,
# no network path to the brokers needed). The apps still create a missing topic at start (their roles
# hold CreateTopic on their own names only), which finds these and changes nothing. A deployment whose
# apps created the topics before Terraform managed them adopts them once: ./deploy-infra.sh
# --adopt-topics (terraform import <address> <cluster ARN>,<topic>). aws_msk_topic takes no tags.
# Removing a tenant from TENANTS deletes its topics with their data.
################################################################################

resource "aws_msk_topic" "trade" {
  for_each = var.tenants

  cluster_arn        = module.msk.arn
  name               = each.value.topic
  partition_count    = each.value.partitions
  replication_factor = each.value.replication_factor
}

# One partition, as the consumer creates it: dead letters are rare and need no parallelism.
resource "aws_msk_topic" "dead_letter" {
  for_each = var.tenants

  cluster_arn        = module.msk.arn
  name               = each.value.dead_letter_topic
  partition_count    = 1
  replication_factor = each.value.replication_factor
}
