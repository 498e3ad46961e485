variable "region" {
  description = "AWS region for every resource (deploy-infra.sh passes AWS_REGION from .env)"
  type        = string
  default     = "us-east-1"
}

variable "project_name" {
  description = "Prefix of every resource name (VPC, MSK, EKS, IAM roles, ECR repositories)"
  type        = string
  default     = "trade-tx"

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,30}$", var.project_name))
    error_message = "project_name must be 2-31 characters of lower-case letters, digits and dashes, starting with a letter."
  }
}

variable "vpc_cidr" {
  description = "CIDR block of the VPC (VPC_CIDR); private and public subnets are carved out of it with cidrsubnet. A tenant's NetworkPolicy allows MSK's port 9098 in this range"
  type        = string
  default     = "10.0.0.0/16"
}

variable "endpoint_public_access_cidrs" {
  description = "CIDRs allowed to reach the public EKS API endpoint. No default (the module's is 0.0.0.0/0): deploy-infra.sh passes EKS_PUBLIC_ACCESS_CIDRS or the caller's own public address /32"
  type        = list(string)

  validation {
    condition     = length(var.endpoint_public_access_cidrs) > 0 && alltrue([for c in var.endpoint_public_access_cidrs : can(cidrhost(c, 0))])
    error_message = "endpoint_public_access_cidrs must be a non-empty list of CIDRs such as [\"203.0.113.7/32\"]."
  }
}

variable "kubernetes_version" {
  description = "Kubernetes version of the EKS Auto Mode cluster"
  type        = string
  default     = "1.34"
}

variable "kafka_version" {
  description = "MSK Kafka version; 4.1.x.kraft is the newest 4.x line MSK offers (KRaft, no ZooKeeper)"
  type        = string
  default     = "4.1.x.kraft"
}

variable "msk_broker_instance_type" {
  description = "MSK broker instance type (kafka.m5.large is the smallest that supports open monitoring and 24 partitions comfortably)"
  type        = string
  default     = "kafka.m5.large"
}

variable "msk_broker_count" {
  description = "Number of MSK brokers; must be a multiple of the number of AZs (2)"
  type        = number
  default     = 2
}

variable "msk_broker_volume_size" {
  description = "EBS volume size per broker in GiB"
  type        = number
  default     = 100
}

variable "topic_retention_hours" {
  description = "Default topic retention (MSK server property log.retention.hours). Applies to every tenant's trade and dead-letter topic"
  type        = number
  default     = 24
}

variable "msk_log_retention_days" {
  description = "Retention in days of the MSK broker logs in CloudWatch Logs"
  type        = number
  default     = 7
}

variable "tenants" {
  description = "The institutions sharing this deployment, by tenant name: each gets its own trade and dead-letter topic, consumer group, namespace (its Pod Identity associations) and IAM roles <iam_role_prefix>-producer, -consumer and -keda-reader. scripts/lib.sh builds this map from TENANTS and TENANT_<NAME>_<SETTING> in .env; without TENANTS it holds the one tenant \"default\" with the names a single-tenant deployment always had (the default below)"
  type = map(object({
    namespace          = string
    topic              = string
    dead_letter_topic  = string
    consumer_group     = string
    partitions         = number
    replication_factor = number
    iam_role_prefix    = string
  }))
  default = {
    default = {
      namespace          = "default"
      topic              = "trade-tx"
      dead_letter_topic  = "trade-tx.dlq"
      consumer_group     = "trade-tx-consumer"
      partitions         = 24
      replication_factor = 2
      iam_role_prefix    = "trade-tx"
    }
  }

  validation {
    condition     = length(var.tenants) > 0 && alltrue([for name in keys(var.tenants) : can(regex("^[a-z]([a-z0-9-]{0,18}[a-z0-9])?$", name))])
    error_message = "tenants needs at least one tenant, each named with 1-20 lower-case letters, digits and dashes, starting with a letter."
  }

  validation {
    condition = alltrue([
      for t in values(var.tenants) :
      can(regex("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$", t.namespace)) &&
      can(regex("^[A-Za-z0-9._-]{1,249}$", t.topic)) &&
      can(regex("^[A-Za-z0-9._-]{1,249}$", t.dead_letter_topic)) &&
      t.topic != t.dead_letter_topic &&
      length(t.consumer_group) > 0 && length(t.consumer_group) <= 255 && !strcontains(t.consumer_group, "*")
    ])
    error_message = "Each tenant needs a DNS-label namespace, a trade topic and a different dead-letter topic (Kafka topic names), and a consumer group of 1-255 characters without *."
  }

  validation {
    condition     = alltrue([for t in values(var.tenants) : t.partitions >= 1 && t.partitions == floor(t.partitions) && t.replication_factor >= 1 && t.replication_factor == floor(t.replication_factor)])
    error_message = "Each tenant's partitions and replication_factor must be positive integers."
  }

  # An IAM role name is at most 64 characters of [A-Za-z0-9+=,.@_-] (no "/"); "-keda-reader" takes 12.
  validation {
    condition     = alltrue([for t in values(var.tenants) : can(regex("^[A-Za-z0-9+=,.@_-]{1,52}$", t.iam_role_prefix))])
    error_message = "Each tenant's iam_role_prefix must be 1-52 characters of letters, digits and +=,.@_- (role names are at most 64 and hold no /)."
  }

  validation {
    condition = (
      length(distinct([for t in values(var.tenants) : t.namespace])) == length(var.tenants) &&
      length(distinct([for t in values(var.tenants) : t.consumer_group])) == length(var.tenants) &&
      length(distinct([for t in values(var.tenants) : t.iam_role_prefix])) == length(var.tenants) &&
      length(distinct(flatten([for t in values(var.tenants) : [t.topic, t.dead_letter_topic]]))) == 2 * length(var.tenants)
    )
    error_message = "No two tenants may share a namespace, topic, dead-letter topic, consumer group or IAM role prefix."
  }
}

variable "image_names" {
  description = "ECR repository names, one per application image (IMAGE_NAME_PRODUCER / IMAGE_NAME_CONSUMER)"
  type = object({
    producer = string
    consumer = string
  })
  default = {
    producer = "trade-tx-producer"
    consumer = "trade-tx-consumer"
  }
}

variable "ecr_keep_images" {
  description = "Number of tagged images each ECR repository keeps (older ones expire)"
  type        = number
  default     = 10
}

variable "keda_chart_version" {
  description = "Version of the KEDA Helm chart (kedacore/keda; chart and KEDA versions are equal). The rendered manifests are checked against the CRDs of this version (.ci/schemas/keda/), so change both together"
  type        = string
  default     = "2.20.2"
}

variable "kube_prometheus_stack_chart_version" {
  description = "Version of the kube-prometheus-stack Helm chart (prometheus-community)"
  type        = string
  default     = "81.6.3"
}

variable "monitoring_namespace" {
  description = "Namespace of kube-prometheus-stack (Prometheus, Grafana) and of the dashboard ConfigMap"
  type        = string
  default     = "monitoring"
}

variable "keda_namespace" {
  description = "Namespace of the KEDA operator"
  type        = string
  default     = "keda"
}

variable "prometheus_retention" {
  description = "How long Prometheus keeps samples"
  type        = string
  default     = "7d"
}

variable "prometheus_volume_size" {
  description = "Size of Prometheus' gp3 volume"
  type        = string
  default     = "20Gi"
}

variable "tags" {
  description = "Extra tags merged into the tags of every resource"
  type        = map(string)
  default     = {}
}
