#!/bin/sh
# One-shot set-up of SeaweedFS for docker-compose.yml: creates the recordings bucket through the
# admin shell (the services' S3 identity may not create buckets). Private: audio is only served
# through the gateway's signed media URLs. Idempotent: it runs again on every `docker compose up`.
set -eu

: "${S3_BUCKET:?S3_BUCKET is required}"
shell() { echo "$1" | weed shell -master=seaweedfs:9333 -filer=seaweedfs:8888; }

tries=0
until buckets=$(shell "s3.bucket.list" 2>&1); do
  tries=$((tries + 1))
  if [ "$tries" -ge 30 ]; then
    echo "seaweedfs-init: SeaweedFS is not reachable: $buckets" >&2
    exit 1
  fi
  sleep 2
done

if printf '%s\n' "$buckets" | grep -Eq "(^|[[:space:]])$S3_BUCKET([[:space:]]|$)"; then
  echo "seaweedfs-init: bucket $S3_BUCKET exists"
else
  shell "s3.bucket.create -name $S3_BUCKET"
  echo "seaweedfs-init: bucket $S3_BUCKET created"
fi
