# The seed bucket, safe: the default-encryption key is named by its alias ARN,
# and the key policy lets the writer's account use the key.
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
      kms_master_key_id = aws_kms_alias.my_key.arn # an ARN names the owner's account
    }
  }
}
