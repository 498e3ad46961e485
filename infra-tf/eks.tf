################################################################################
# EKS Auto Mode: AWS manages nodes (general-purpose pool for the apps, system pool for add-ons)
################################################################################

module "eks" {
  source  = "terraform-aws-modules/eks/aws"
  version = "~> 21.0"

  name               = local.cluster_name
  kubernetes_version = var.kubernetes_version

  # kubectl (and Terraform's helm/kubernetes providers) from the laptop that runs deploy-*.sh, and
  # only from the CIDRs the operator gives (deploy-infra.sh: EKS_PUBLIC_ACCESS_CIDRS, else the
  # caller's own address). Nodes and pods use the private endpoint; nodes stay in private subnets.
  endpoint_public_access                   = true
  endpoint_public_access_cidrs             = var.endpoint_public_access_cidrs
  enable_cluster_creator_admin_permissions = true

  compute_config = {
    enabled    = true
    node_pools = ["general-purpose", "system"]
  }

  vpc_id     = module.vpc.vpc_id
  subnet_ids = module.vpc.private_subnets

  tags = local.tags
}

# Auto Mode ships its EBS CSI driver but no default StorageClass; Prometheus keeps its data on gp3.
resource "kubernetes_storage_class_v1" "gp3" {
  metadata {
    name = "gp3"
    annotations = {
      "storageclass.kubernetes.io/is-default-class" = "true"
    }
  }

  storage_provisioner    = "ebs.csi.eks.amazonaws.com"
  reclaim_policy         = "Delete"
  volume_binding_mode    = "WaitForFirstConsumer"
  allow_volume_expansion = true

  parameters = {
    type      = "gp3"
    encrypted = "true"
  }

  depends_on = [module.eks]
}

# EKS Auto Mode enforces NetworkPolicy objects (every tenant's namespace holds some: k8s/tenant/) only
# once the network policy controller is turned on with this ConfigMap; until then they are accepted and
# ignored. Pods that no policy selects are unaffected.
resource "kubernetes_config_map_v1" "network_policy_controller" {
  metadata {
    name      = "amazon-vpc-cni"
    namespace = "kube-system"
  }

  data = {
    "enable-network-policy-controller" = "true"
  }

  depends_on = [module.eks]
}
