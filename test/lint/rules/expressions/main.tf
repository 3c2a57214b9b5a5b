# References that are expressions, not literals.

variable "kms_key" {
  type = string
}

locals {
  logs_key = "alias/logs"
}

resource "aws_kms_key" "data" {}

# CK007: a variable; lint cannot tell what it holds.
resource "aws_s3_bucket_server_side_encryption_configuration" "from_variable" {
  bucket = "from-variable"
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = var.kms_key
    }
  }
}

# CK002: key_id is the bare key id; --fix makes it aws_kms_key.data.arn.
resource "aws_s3_bucket_server_side_encryption_configuration" "key_id" {
  bucket = "key-id"
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms:dsse"
      kms_master_key_id = aws_kms_key.data.key_id
    }
  }
}

# CK002, reported where the local is written.
resource "aws_s3_bucket_server_side_encryption_configuration" "logs" {
  bucket = "logs"
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = local.logs_key
    }
  }
}

# CK002: an object's key resolves in the uploading account.
resource "aws_s3_object" "report" {
  bucket     = "reports"
  key        = "report.csv"
  content    = "a,b\n"
  kms_key_id = "alias/reports"
}

# Safe: interpolated ARN.
resource "aws_s3_bucket_server_side_encryption_configuration" "template" {
  bucket = "template"
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = "arn:aws:kms:us-east-1:${var.account}:alias/template"
    }
  }
}

# Safe: not KMS.
resource "aws_s3_bucket_server_side_encryption_configuration" "aes" {
  bucket = "aes"
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256"
    }
  }
}
