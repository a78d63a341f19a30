#!/bin/sh
# Starts SeaweedFS for docker-compose.yml (image chrislusf/seaweedfs): master, volume, filer and
# S3 API in one process, with one S3 identity (the services') limited to the recordings bucket.
# The identity file is written from the environment at start, so no key is in the image or the
# repository. Hex keys (openssl rand -hex 32) need no JSON escaping; others are refused.
set -eu

: "${S3_BUCKET:?S3_BUCKET is required}"
: "${S3_ACCESS_KEY_ID:?S3_ACCESS_KEY_ID is required}"
: "${S3_SECRET_ACCESS_KEY:?S3_SECRET_ACCESS_KEY is required}"
for value in "$S3_BUCKET" "$S3_ACCESS_KEY_ID" "$S3_SECRET_ACCESS_KEY"; do
  case "$value" in
    *[!A-Za-z0-9._-]*) echo "seaweedfs-start: S3_BUCKET, S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY may hold only letters, digits, '.', '_' and '-'" >&2; exit 1 ;;
  esac
done

umask 077
cat > /tmp/s3.json <<JSON
{
  "identities": [
    {
      "name": "callvault",
      "credentials": [{ "accessKey": "$S3_ACCESS_KEY_ID", "secretKey": "$S3_SECRET_ACCESS_KEY" }],
      "actions": ["Read:$S3_BUCKET", "Write:$S3_BUCKET", "List:$S3_BUCKET", "Tagging:$S3_BUCKET", "Admin:$S3_BUCKET"]
    }
  ]
}
JSON

exec weed server -dir=/data -ip=seaweedfs -ip.bind=0.0.0.0 \
  -master.volumeSizeLimitMB=1024 -volume.max=0 \
  -s3 -s3.port=8333 -s3.config=/tmp/s3.json
