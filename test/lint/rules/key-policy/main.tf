# Key policies that do not let the bucket's writer use the key.

# CK005: no policy, so KMS's default key policy admits only this account,
# while account 222222222222 may write to bucket2.
resource "aws_kms_key" "default_policy" {
  description = "bucket2 default key"
}

resource "aws_s3_bucket" "bucket2" {
  bucket = "bucket2"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = "arn:aws:iam::222222222222:role/writer" }
      Action    = "s3:Put*"
      Resource  = "arn:aws:s3:::bucket2/*"
    }]
  })
}

resource "aws_s3_bucket_server_side_encryption_configuration" "bucket2" {
  bucket = aws_s3_bucket.bucket2.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = aws_kms_key.default_policy.arn
    }
  }
}

# Safe: the key policy allows kms:Decrypt and a grant kms:GenerateDataKey to account 333333333333.
resource "aws_kms_key" "granted" {
  description = "bucket3 default key"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect    = "Allow"
        Principal = { AWS = "arn:aws:iam::111111111111:root" }
        Action    = "kms:*"
        Resource  = "*"
      },
      {
        Effect    = "Allow"
        Principal = { AWS = "333333333333" }
        Action    = "kms:Decrypt"
        Resource  = "*"
      },
    ]
  })
}

resource "aws_kms_grant" "writer" {
  key_id            = aws_kms_key.granted.key_id
  grantee_principal = "arn:aws:iam::333333333333:role/writer"
  operations        = ["GenerateDataKey"]
}

resource "aws_s3_bucket" "bucket3" {
  bucket = "bucket3"
}

resource "aws_s3_bucket_policy" "bucket3" {
  bucket = "bucket3"
  policy = jsonencode({
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = "arn:aws:iam::333333333333:role/writer" }
      Action    = ["s3:PutObject"]
      Resource  = "arn:aws:s3:::bucket3/*"
    }]
  })
}

resource "aws_s3_bucket_server_side_encryption_configuration" "bucket3" {
  bucket = "bucket3"
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = aws_kms_key.granted.arn
    }
  }
}
