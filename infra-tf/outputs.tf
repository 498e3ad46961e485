output "region" {
  description = "AWS region of the deployment (AWS_REGION)"
  value       = local.region
}

output "cluster_name" {
  description = "EKS cluster name (CLUSTER_NAME), for aws eks update-kubeconfig"
  value       = module.eks.cluster_name
}

output "cluster_endpoint" {
  description = "Endpoint of the EKS API server"
  value       = module.eks.cluster_endpoint
}

output "endpoint_public_access_cidrs" {
  description = "CIDRs that may reach the EKS API endpoint"
  value       = var.endpoint_public_access_cidrs
}

output "kafka_dlq_topic" {
  description = "Dead-letter topic the consumer role may create and write (DLQ_TOPIC)"
  value       = var.kafka_dlq_topic
}

output "bootstrap_brokers_sasl_iam" {
  description = "MSK bootstrap brokers for SASL/IAM over TLS, port 9098 (KAFKA_BOOTSTRAP_SERVERS)"
  value       = module.msk.bootstrap_brokers_sasl_iam
}

output "msk_cluster_arn" {
  description = "ARN of the MSK cluster (MSK_CLUSTER_ARN)"
  value       = module.msk.arn
}

output "msk_cluster_name" {
  description = "Name of the MSK cluster (MSK_CLUSTER_NAME)"
  value       = local.msk_name
}

output "ecr_repository_url_producer" {
  description = "ECR repository URL of the producer image (ECR_REPOSITORY_URL_PRODUCER)"
  value       = aws_ecr_repository.app["producer"].repository_url
}

output "ecr_repository_url_consumer" {
  description = "ECR repository URL of the consumer image (ECR_REPOSITORY_URL_CONSUMER)"
  value       = aws_ecr_repository.app["consumer"].repository_url
}

output "pod_identity_role_arns" {
  description = "IAM role ARNs bound through EKS Pod Identity, by workload (producer, consumer, keda)"
  value       = { for k, r in aws_iam_role.pod : k => r.arn }
}

output "monitoring_namespace" {
  description = "Namespace of Prometheus and Grafana"
  value       = var.monitoring_namespace
}

output "grafana_admin_password_command" {
  description = "Command that prints Grafana's generated admin password (the kube context is the one deploy-infra.sh adds)"
  value       = "kubectl --context ${module.eks.cluster_name}@${local.region} -n ${var.monitoring_namespace} get secret grafana-admin -o jsonpath='{.data.admin-password}' | base64 -d"
}
