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
  description = "CIDR block of the VPC; private and public subnets are carved out of it with cidrsubnet"
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
  description = "Default topic retention (MSK server property log.retention.hours). Applies to the topics the apps create: the trade topic and its dead-letter topic"
  type        = number
  default     = 24
}

variable "msk_log_retention_days" {
  description = "Retention in days of the MSK broker logs in CloudWatch Logs"
  type        = number
  default     = 7
}

variable "app_namespace" {
  description = "Kubernetes namespace of the producer and consumer (K8S_NAMESPACE in .env); the Pod Identity associations are created for it"
  type        = string
  default     = "default"
}

variable "kafka_topic" {
  description = "Topic the producer writes and the consumer reads (KAFKA_TOPIC); IAM policies grant exactly this topic"
  type        = string
  default     = "trade-tx"
}

variable "kafka_dlq_topic" {
  description = "Dead-letter topic the consumer writes poison messages to (DLQ_TOPIC). No default: scripts/lib.sh derives it (<KAFKA_TOPIC>.dlq unless DLQ_TOPIC is set) and passes the same name to the consumer Deployment"
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9._-]{1,249}$", var.kafka_dlq_topic))
    error_message = "kafka_dlq_topic must be a Kafka topic name (letters, digits, . _ -)."
  }
}

variable "consumer_group" {
  description = "Consumer group of the consumer (CONSUMER_GROUP); the consumer may use and KEDA may describe only this group"
  type        = string
  default     = "trade-tx-consumer"
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
