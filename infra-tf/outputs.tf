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

output "tenants" {
  description = "Per tenant: its namespace, topics, consumer group and the ARNs of its producer, consumer and KEDA reader roles"
  value = {
    for name, tenant in var.tenants : name => {
      namespace            = tenant.namespace
      topic                = aws_msk_topic.trade[name].name
      dead_letter_topic    = aws_msk_topic.dead_letter[name].name
      consumer_group       = tenant.consumer_group
      producer_role_arn    = aws_iam_role.tenant["${name}/producer"].arn
      consumer_role_arn    = aws_iam_role.tenant["${name}/consumer"].arn
      keda_reader_role_arn = aws_iam_role.tenant["${name}/keda-reader"].arn
    }
  }
}

output "cluster_dns_ip" {
  description = "Address of the cluster DNS service, the service CIDR's .10 (CLUSTER_DNS_IP): the one DNS server a tenant's NetworkPolicy lets its pods ask"
  value       = cidrhost(module.eks.cluster_service_cidr, 10)
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

output "keda_operator_role_arn" {
  description = "IAM role of the KEDA operator (EKS Pod Identity on keda-operator): it may only assume the tenants' KEDA reader roles"
  value       = aws_iam_role.keda_operator.arn
}

output "monitoring_namespace" {
  description = "Namespace of Prometheus and Grafana"
  value       = var.monitoring_namespace
}

output "grafana_admin_password_command" {
  description = "Command that prints Grafana's generated admin password (the kube context is the one deploy-infra.sh adds)"
  value       = "kubectl --context ${module.eks.cluster_name}@${local.region} -n ${var.monitoring_namespace} get secret grafana-admin -o jsonpath='{.data.admin-password}' | base64 -d"
}
