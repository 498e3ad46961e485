provider "aws" {
  region = local.region
}

# Both in-cluster providers authenticate with a short-lived token from the AWS CLI, so nothing
# secret is stored in the state or on disk.
provider "helm" {
  kubernetes = {
    host                   = module.eks.cluster_endpoint
    cluster_ca_certificate = base64decode(module.eks.cluster_certificate_authority_data)
    exec = {
      api_version = "client.authentication.k8s.io/v1beta1"
      command     = "aws"
      args        = ["eks", "get-token", "--cluster-name", module.eks.cluster_name, "--region", local.region]
    }
  }
}

provider "kubernetes" {
  host                   = module.eks.cluster_endpoint
  cluster_ca_certificate = base64decode(module.eks.cluster_certificate_authority_data)
  exec {
    api_version = "client.authentication.k8s.io/v1beta1"
    command     = "aws"
    args        = ["eks", "get-token", "--cluster-name", module.eks.cluster_name, "--region", local.region]
  }
}

data "aws_availability_zones" "available" {
  # Exclude Local Zones
  filter {
    name   = "opt-in-status"
    values = ["opt-in-not-required"]
  }
}

data "aws_caller_identity" "current" {}

data "aws_partition" "current" {}

locals {
  name   = var.project_name
  region = var.region

  vpc_cidr = var.vpc_cidr
  azs      = slice(data.aws_availability_zones.available.names, 0, 2)

  cluster_name = local.name
  msk_name     = "${local.name}-msk"

  # Node labels kube-state-metrics exports on kube_node_labels (as label_<name with _>).
  node_metric_labels = ["karpenter.sh/nodepool", "eks.amazonaws.com/compute-type", "node.kubernetes.io/instance-type"]

  # Auto Mode's built-in "system" node pool: nodes carry this label and the CriticalAddonsOnly taint.
  system_node_selector = {
    "karpenter.sh/nodepool" = "system"
  }
  system_tolerations = [
    {
      key      = "CriticalAddonsOnly"
      operator = "Exists"
      effect   = "NoSchedule"
    }
  ]

  tags = merge(
    {
      Project   = local.name
      ManagedBy = "terraform"
      Source    = "trade-tx/infra-tf"
    },
    var.tags,
  )
}

################################################################################
# VPC: 2 AZs, private subnets for EKS nodes and MSK brokers, one NAT gateway
################################################################################

module "vpc" {
  source  = "terraform-aws-modules/vpc/aws"
  version = "~> 6.0"

  name = local.name
  cidr = local.vpc_cidr

  azs             = local.azs
  private_subnets = [for k, v in local.azs : cidrsubnet(local.vpc_cidr, 4, k)]
  public_subnets  = [for k, v in local.azs : cidrsubnet(local.vpc_cidr, 8, k + 48)]

  enable_nat_gateway = true
  single_nat_gateway = true

  public_subnet_tags = {
    "kubernetes.io/role/elb" = 1
  }

  private_subnet_tags = {
    "kubernetes.io/role/internal-elb" = 1
  }

  tags = local.tags
}
