################################################################################
# One IAM policy document per (tenant, workload), built from infra-tf/kafka-permissions.json:
# every statement of the workload, with the resource kind replaced by that tenant's exact ARN.
# The local broker's Kafka ACLs are built from the same file (io.tradetx.local.tenant), so what
# a tenant may do on MSK and locally cannot drift apart.
################################################################################

locals {
  policies = {
    for tenant, arns in var.tenants : tenant => {
      for workload, statements in var.workloads : workload => jsonencode({
        Version = "2012-10-17"
        Statement = [
          for s in statements : {
            Sid      = s.sid
            Effect   = "Allow"
            Action   = s.actions
            Resource = [local.resource_arns[tenant][s.resource]]
          }
        ]
      })
    }
  }

  resource_arns = {
    for tenant, arns in var.tenants : tenant => {
      cluster           = var.cluster_arn
      topic             = arns.topic_arn
      dead_letter_topic = arns.dead_letter_topic_arn
      group             = arns.group_arn
    }
  }
}
