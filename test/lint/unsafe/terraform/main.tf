# The seed case: bucket1 in account 111111111111 encrypts by default with
# alias/my-key, and its policy lets account 222222222222 write. S3 resolves
# the alias in the writer's account, so account 2's PutObject fails (or uses
# account 2's own alias/my-key).
terraform {
  required_providers {
    aws = { source = "hashicorp/aws" }
  }
}

provider "aws" {
  region = "us-east-1"
}

resource "aws_kms_key" "my_key" {
  description = "bucket1 default key"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "Owner"
        Effect    = "Allow"
        Principal = { AWS = "arn:aws:iam::111111111111:root" }
        Action    = "kms:*"
        Resource  = "*"
      },
      {
        Sid       = "Writer"
        Effect    = "Allow"
        Principal = { AWS = "arn:aws:iam::222222222222:root" }
        Action    = ["kms:GenerateDataKey", "kms:Decrypt"]
        Resource  = "*"
      },
    ]
  })
}

resource "aws_kms_alias" "my_key" {
  name          = "alias/my-key"
  target_key_id = aws_kms_key.my_key.key_id
}

resource "aws_s3_bucket" "bucket1" {
  bucket = "bucket1"
}

resource "aws_s3_bucket_policy" "bucket1" {
  bucket = aws_s3_bucket.bucket1.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = "222222222222" }
      Action    = ["s3:PutObject", "s3:GetObject"]
      Resource  = "arn:aws:s3:::bucket1/*"
    }]
  })
}

resource "aws_s3_bucket_server_side_encryption_configuration" "bucket1" {
  bucket = aws_s3_bucket.bucket1.id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = "alias/my-key" # resolved in the writer's account
    }
  }
}
