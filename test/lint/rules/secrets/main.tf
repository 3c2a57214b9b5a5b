# Secrets Manager secrets shared with other accounts.

resource "aws_kms_key" "app" {
  description = "application secrets"
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
        Sid       = "Readers"
        Effect    = "Allow"
        Principal = { AWS = ["arn:aws:iam::222222222222:root"] }
        Action    = ["kms:Decrypt", "kms:DescribeKey"]
        Resource  = "*"
      },
    ]
  })
}

resource "aws_kms_alias" "app" {
  name          = "alias/app-secrets"
  target_key_id = aws_kms_key.app.key_id
}

# CK003: an alias name, and account 222222222222 may read.
resource "aws_secretsmanager_secret" "shared" {
  name       = "shared"
  kms_key_id = "alias/app-secrets"
}

resource "aws_secretsmanager_secret_policy" "shared" {
  secret_arn = aws_secretsmanager_secret.shared.arn
  policy     = <<-POLICY
    {
      "Version": "2012-10-17",
      "Statement": [{
        "Effect": "Allow",
        "Principal": {"AWS": "arn:aws:iam::222222222222:role/reader"},
        "Action": "secretsmanager:GetSecretValue",
        "Resource": "*"
      }]
    }
  POLICY
}

# CK004: no kms_key_id (aws/secretsmanager), and account 333333333333 may read.
resource "aws_secretsmanager_secret" "default_key" {
  name = "default-key"
}

resource "aws_secretsmanager_secret_policy" "default_key" {
  secret_arn = aws_secretsmanager_secret.default_key.arn
  policy     = data.aws_iam_policy_document.default_key.json
}

data "aws_iam_policy_document" "default_key" {
  statement {
    actions   = ["secretsmanager:GetSecretValue"]
    resources = ["*"]
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::333333333333:root"]
    }
  }
}

# Safe: not shared, so the alias resolves in this account for every caller.
resource "aws_secretsmanager_secret" "private" {
  name       = "private"
  kms_key_id = "alias/app-secrets"
}
