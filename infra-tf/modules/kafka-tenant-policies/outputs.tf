output "policies" {
  description = "IAM policy JSON by tenant, then workload: policies[\"a\"][\"consumer\"]."
  value       = local.policies
}

output "role_policies" {
  description = "The same documents flattened for for_each over roles, keyed \"<tenant>/<workload>\": { tenant, workload, role_name, policy }; role_name is <role_name_prefix>-<workload>."
  value = merge([
    for tenant, by_workload in local.policies : {
      for workload, policy in by_workload : "${tenant}/${workload}" => {
        tenant    = tenant
        workload  = workload
        role_name = "${coalesce(var.tenants[tenant].role_name_prefix, tenant)}-${workload}"
        policy    = policy
      }
    }
  ]...)
}
