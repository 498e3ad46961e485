terraform {
  required_version = ">= 1.5.7"

  required_providers {
    aws = {
      # aws_msk_topic (infra-tf/msk.tf) exists from 6.38; terraform-aws-modules/msk-kafka-cluster 3.2+
      # needs 6.40.
      source  = "hashicorp/aws"
      version = "~> 6.40"
    }
    helm = {
      source  = "hashicorp/helm"
      version = "~> 3.0"
    }
    kubernetes = {
      source  = "hashicorp/kubernetes"
      version = "~> 2.38"
    }
    random = {
      source  = "hashicorp/random"
      version = "~> 3.7"
    }
  }
}
