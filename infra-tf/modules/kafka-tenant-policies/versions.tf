terraform {
  # No providers: the module only computes JSON, so it can be planned, applied and tested offline.
  required_version = ">= 1.5.7"
}
