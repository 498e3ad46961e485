variable "workloads" {
  description = "The \"workloads\" object of infra-tf/kafka-permissions.json: per workload (producer, consumer, keda-reader) the IAM statements it needs, each on one resource kind (cluster, topic, dead_letter_topic, group)."
  type = map(list(object({
    sid      = string
    resource = string
    actions  = list(string)
    why      = string
  })))

  validation {
    condition = alltrue(flatten([
      for statements in values(var.workloads) : [
        for s in statements : contains(["cluster", "topic", "dead_letter_topic", "group"], s.resource)
      ]
    ]))
    error_message = "Every statement's resource must be one of cluster, topic, dead_letter_topic, group."
  }

  validation {
    condition = alltrue(flatten([
      for statements in values(var.workloads) : [
        for s in statements : [for a in s.actions : can(regex("^kafka-cluster:[A-Za-z]+$", a))]
      ]
    ]))
    error_message = "Every action must be one named kafka-cluster: action (no wildcards)."
  }
}

variable "cluster_arn" {
  description = "ARN of the MSK cluster (the resource of the cluster-level statements)."
  type        = string

  validation {
    condition     = can(regex("^arn:[^:*]+:kafka:[^:*]+:[^:*]+:cluster/[^*]+$", var.cluster_arn))
    error_message = "cluster_arn must be an MSK cluster ARN without wildcards."
  }
}

variable "tenants" {
  description = "Per tenant name, the exact ARNs of its trade topic, dead-letter topic and consumer group (no wildcards: a tenant's policy names only its own resources), and the prefix of its IAM role names (<role_name_prefix>-<workload>; default: the tenant name)."
  type = map(object({
    topic_arn             = string
    dead_letter_topic_arn = string
    group_arn             = string
    role_name_prefix      = optional(string)
  }))

  validation {
    condition = alltrue([
      for t in values(var.tenants) :
      can(regex("^arn:[^*]+:topic/[^*]+$", t.topic_arn)) &&
      can(regex("^arn:[^*]+:topic/[^*]+$", t.dead_letter_topic_arn)) &&
      can(regex("^arn:[^*]+:group/[^*]+$", t.group_arn))
    ])
    error_message = "Each tenant needs literal topic, dead-letter topic and group ARNs (topic/..., topic/..., group/...; no wildcards)."
  }

  validation {
    condition = length(distinct(flatten([
      for t in values(var.tenants) : [t.topic_arn, t.dead_letter_topic_arn, t.group_arn]
    ]))) == 3 * length(var.tenants)
    error_message = "No two tenants (and no two resources of one tenant) may share a topic, dead-letter topic or group ARN."
  }

  # IAM role names: at most 64 characters of [A-Za-z0-9+=,.@_-], so no "/"; the longest workload name
  # of kafka-permissions.json ("-keda-reader") leaves 52 for the prefix.
  validation {
    condition     = alltrue([for name, t in var.tenants : can(regex("^[A-Za-z0-9+=,.@_-]{1,52}$", coalesce(t.role_name_prefix, name)))])
    error_message = "Each tenant's role_name_prefix (or, without one, its name) must be 1-52 characters of letters, digits and +=,.@_-."
  }

  validation {
    condition     = length(distinct([for name, t in var.tenants : coalesce(t.role_name_prefix, name)])) == length(var.tenants)
    error_message = "No two tenants may share a role_name_prefix: their roles would be one."
  }
}
