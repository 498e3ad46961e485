################################################################################
# Add-ons on the Auto Mode system node pool: kube-prometheus-stack and KEDA
################################################################################

# Grafana's admin password: generated here, stored only in this Secret (and the state), never the
# chart default. Read it back with:
#   kubectl -n monitoring get secret grafana-admin -o jsonpath='{.data.admin-password}' | base64 -d
resource "random_password" "grafana_admin" {
  length           = 24
  special          = true
  override_special = "-_.:"
}

resource "kubernetes_namespace_v1" "monitoring" {
  metadata {
    name   = var.monitoring_namespace
    labels = { "app.kubernetes.io/part-of" = local.name }
  }

  depends_on = [module.eks]
}

resource "kubernetes_secret_v1" "grafana_admin" {
  metadata {
    name      = "grafana-admin"
    namespace = kubernetes_namespace_v1.monitoring.metadata[0].name
  }

  data = {
    "admin-user"     = "admin"
    "admin-password" = random_password.grafana_admin.result
  }
}

# The "MSK & KEDA Monitoring" dashboard, picked up by Grafana's dashboard sidecar through its label.
resource "kubernetes_config_map_v1" "dashboard" {
  metadata {
    name      = "msk-keda-monitoring-dashboard"
    namespace = kubernetes_namespace_v1.monitoring.metadata[0].name
    labels = {
      grafana_dashboard = "1"
    }
  }

  data = {
    "msk-keda-monitoring.json" = file("${path.module}/../dashboards/msk-keda-monitoring.json")
  }
}

locals {
  # MSK open monitoring: every broker serves JMX exporter metrics on 11001 and node exporter
  # metrics on 11002 (TLS is not used on these ports).
  msk_scrape_configs = [
    {
      job_name        = "msk-jmx"
      scrape_interval = "30s"
      static_configs = [{
        targets = [for h in local.msk_broker_hosts : "${h}:11001"]
        labels  = { cluster = local.msk_name }
      }]
    },
    {
      job_name        = "msk-node"
      scrape_interval = "30s"
      static_configs = [{
        targets = [for h in local.msk_broker_hosts : "${h}:11002"]
        labels  = { cluster = local.msk_name }
      }]
    },
  ]

  kube_prometheus_stack_values = {
    # Managed control plane: nothing to scrape there; Auto Mode has no kube-proxy pods.
    kubeControllerManager = { enabled = false }
    kubeScheduler         = { enabled = false }
    kubeEtcd              = { enabled = false }
    kubeProxy             = { enabled = false }
    alertmanager          = { enabled = false }

    prometheusOperator = {
      nodeSelector = local.system_node_selector
      tolerations  = local.system_tolerations
      admissionWebhooks = {
        patch = {
          nodeSelector = local.system_node_selector
          tolerations  = local.system_tolerations
        }
      }
    }

    prometheus = {
      prometheusSpec = {
        nodeSelector = local.system_node_selector
        tolerations  = local.system_tolerations
        retention    = var.prometheus_retention
        # Select ServiceMonitors/PodMonitors from every namespace, not only this release's.
        serviceMonitorSelectorNilUsesHelmValues = false
        podMonitorSelectorNilUsesHelmValues     = false
        additionalScrapeConfigs                 = local.msk_scrape_configs
        storageSpec = {
          volumeClaimTemplate = {
            spec = {
              storageClassName = kubernetes_storage_class_v1.gp3.metadata[0].name
              accessModes      = ["ReadWriteOnce"]
              resources        = { requests = { storage = var.prometheus_volume_size } }
            }
          }
        }
      }
    }

    grafana = {
      nodeSelector = local.system_node_selector
      tolerations  = local.system_tolerations
      admin = {
        existingSecret = kubernetes_secret_v1.grafana_admin.metadata[0].name
        userKey        = "admin-user"
        passwordKey    = "admin-password"
      }
      sidecar = {
        dashboards = {
          enabled         = true
          label           = "grafana_dashboard"
          labelValue      = "1"
          searchNamespace = "ALL"
        }
      }
    }

    kube-state-metrics = {
      nodeSelector = local.system_node_selector
      tolerations  = local.system_tolerations
      # kube_node_labels carries no node label unless allowed here. The dashboard's "Ready nodes"
      # panel counts by label_karpenter_sh_nodepool: EKS Auto Mode (Karpenter-based) puts
      # karpenter.sh/nodepool (general-purpose, system) and eks.amazonaws.com/compute-type on its nodes.
      metricLabelsAllowlist = ["nodes=[${join(",", local.node_metric_labels)}]"]
    }

    # The node exporter runs on every node, system pool included.
    prometheus-node-exporter = {
      tolerations = [{ operator = "Exists" }]
    }
  }

  keda_values = {
    nodeSelector = local.system_node_selector
    tolerations  = local.system_tolerations
    # keda_scaler_metrics_value etc. for the dashboard, scraped by kube-prometheus-stack.
    prometheus = {
      operator = {
        enabled = true
        serviceMonitor = {
          enabled          = true
          additionalLabels = { release = "kube-prometheus-stack" }
        }
      }
    }
  }
}

resource "helm_release" "kube_prometheus_stack" {
  name       = "kube-prometheus-stack"
  repository = "https://prometheus-community.github.io/helm-charts"
  chart      = "kube-prometheus-stack"
  version    = var.kube_prometheus_stack_chart_version
  namespace  = kubernetes_namespace_v1.monitoring.metadata[0].name

  values  = [yamlencode(local.kube_prometheus_stack_values)]
  timeout = 900

  depends_on = [kubernetes_config_map_v1.dashboard]
}

resource "helm_release" "keda" {
  name             = "keda"
  repository       = "https://kedacore.github.io/charts"
  chart            = "keda"
  version          = var.keda_chart_version
  namespace        = var.keda_namespace
  create_namespace = true

  values = [yamlencode(local.keda_values)]

  # The ServiceMonitor CRD comes with kube-prometheus-stack; the Pod Identity association must exist
  # before the operator pod starts, or it would run without AWS credentials until restarted.
  depends_on = [
    helm_release.kube_prometheus_stack,
    aws_eks_pod_identity_association.keda_operator,
  ]
}
