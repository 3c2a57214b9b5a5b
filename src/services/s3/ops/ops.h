// The S3 operations, one typed function each, by file. Registered in the
// endpoint table (operations.cpp); bucket sub-resources are generic
// (subresources.h).
#pragma once

#include "api/s3.h"
#include "services/s3/ops/common.h"

namespace ck::services::s3 {

namespace api_s3 = ::ck::api::s3;

// bucket.cpp
Result<api_s3::ListBucketsOutput> ListBuckets(S3Service&, const api_s3::ListBucketsRequest&, Call&);
Result<api_s3::CreateBucketOutput> CreateBucket(S3Service&, const api_s3::CreateBucketRequest&, Call&);
Result<api::Empty> DeleteBucket(S3Service&, const api_s3::DeleteBucketRequest&, Call&);
Result<api_s3::HeadBucketOutput> HeadBucket(S3Service&, const api_s3::HeadBucketRequest&, Call&);
Result<api_s3::GetBucketLocationOutput> GetBucketLocation(S3Service&, const api_s3::GetBucketLocationRequest&, Call&);

// object.cpp
Result<Upload<api_s3::PutObjectOutput>> PutObject(S3Service&, const api_s3::PutObjectRequest&, Call&);
Result<Reply<api_s3::GetObjectOutput>> GetObject(S3Service&, const api_s3::GetObjectRequest&, Call&);
Result<Reply<api_s3::HeadObjectOutput>> HeadObject(S3Service&, const api_s3::HeadObjectRequest&, Call&);
Result<api_s3::CopyObjectOutput> CopyObject(S3Service&, const api_s3::CopyObjectRequest&, Call&);
Result<api_s3::DeleteObjectOutput> DeleteObject(S3Service&, const api_s3::DeleteObjectRequest&, Call&);
Result<api_s3::DeleteObjectsOutput> DeleteObjects(S3Service&, const api_s3::DeleteObjectsRequest&, Call&);

// object_meta.cpp
Result<api_s3::GetObjectTaggingOutput> GetObjectTagging(S3Service&, const api_s3::GetObjectTaggingRequest&, Call&);
Result<api_s3::PutObjectTaggingOutput> PutObjectTagging(S3Service&, const api_s3::PutObjectTaggingRequest&, Call&);
Result<api_s3::DeleteObjectTaggingOutput> DeleteObjectTagging(S3Service&, const api_s3::DeleteObjectTaggingRequest&,
                                                              Call&);
Result<api_s3::GetObjectAttributesOutput> GetObjectAttributes(S3Service&, const api_s3::GetObjectAttributesRequest&,
                                                              Call&);
Result<api_s3::GetObjectAclOutput> GetObjectAcl(S3Service&, const api_s3::GetObjectAclRequest&, Call&);
Result<api_s3::PutObjectAclOutput> PutObjectAcl(S3Service&, const api_s3::PutObjectAclRequest&, Call&);

// acl.cpp
Result<api_s3::GetBucketAclOutput> GetBucketAcl(S3Service&, const api_s3::GetBucketAclRequest&, Call&);
Result<api::Empty> PutBucketAcl(S3Service&, const api_s3::PutBucketAclRequest&, Call&);

// list.cpp
Result<api_s3::ListObjectsOutput> ListObjects(S3Service&, const api_s3::ListObjectsRequest&, Call&);
Result<api_s3::ListObjectsV2Output> ListObjectsV2(S3Service&, const api_s3::ListObjectsV2Request&, Call&);
Result<api_s3::ListObjectVersionsOutput> ListObjectVersions(S3Service&, const api_s3::ListObjectVersionsRequest&,
                                                            Call&);

// multipart.cpp
Result<api_s3::CreateMultipartUploadOutput> CreateMultipartUpload(S3Service&,
                                                                  const api_s3::CreateMultipartUploadRequest&, Call&);
Result<Upload<api_s3::UploadPartOutput>> UploadPart(S3Service&, const api_s3::UploadPartRequest&, Call&);
Result<api_s3::UploadPartCopyOutput> UploadPartCopy(S3Service&, const api_s3::UploadPartCopyRequest&, Call&);
Result<api_s3::CompleteMultipartUploadOutput> CompleteMultipartUpload(S3Service&,
                                                                      const api_s3::CompleteMultipartUploadRequest&,
                                                                      Call&);
Result<api_s3::AbortMultipartUploadOutput> AbortMultipartUpload(S3Service&, const api_s3::AbortMultipartUploadRequest&,
                                                                Call&);
Result<api_s3::ListPartsOutput> ListParts(S3Service&, const api_s3::ListPartsRequest&, Call&);
Result<api_s3::ListMultipartUploadsOutput> ListMultipartUploads(S3Service&, const api_s3::ListMultipartUploadsRequest&,
                                                                Call&);

}  // namespace ck::services::s3
