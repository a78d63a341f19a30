#!/bin/sh
# One-shot set-up of the local MinIO for docker-compose.yml (image minio/mc):
# creates the recordings bucket (private: audio is only reachable through
# signed URLs) and, unless the services are configured with the root
# credentials, a MinIO user whose policy covers that bucket only.
# Idempotent: it runs again on every `docker compose up`.
set -eu

: "${MINIO_URL:=http://minio:9000}"
: "${MINIO_ROOT_USER:?MINIO_ROOT_USER is required}"
: "${MINIO_ROOT_PASSWORD:?MINIO_ROOT_PASSWORD is required}"
: "${S3_BUCKET:?S3_BUCKET is required}"
: "${S3_ACCESS_KEY_ID:?S3_ACCESS_KEY_ID is required}"
: "${S3_SECRET_ACCESS_KEY:?S3_SECRET_ACCESS_KEY is required}"

tries=0
until mc alias set cv "$MINIO_URL" "$MINIO_ROOT_USER" "$MINIO_ROOT_PASSWORD" >/dev/null; do
  tries=$((tries + 1))
  if [ "$tries" -ge 30 ]; then
    echo "minio-init: MinIO at $MINIO_URL is not reachable" >&2
    exit 1
  fi
  sleep 2
done

mc mb --ignore-existing "cv/$S3_BUCKET"
mc anonymous set none "cv/$S3_BUCKET"

if [ "$S3_ACCESS_KEY_ID" = "$MINIO_ROOT_USER" ]; then
  echo "minio-init: services use the MinIO root credentials; no dedicated user created"
  exit 0
fi

policy="callvault-$S3_BUCKET"
policy_file=/tmp/callvault-policy.json
cat > "$policy_file" <<EOF
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": ["s3:*"],
      "Resource": ["arn:aws:s3:::$S3_BUCKET", "arn:aws:s3:::$S3_BUCKET/*"]
    }
  ]
}
EOF

mc admin policy create cv "$policy" "$policy_file"
# `user add` on an existing user only updates its secret.
mc admin user add cv "$S3_ACCESS_KEY_ID" "$S3_SECRET_ACCESS_KEY"
# `policy attach` fails when the policy is already attached (a re-run).
if ! mc admin policy attach cv "$policy" --user "$S3_ACCESS_KEY_ID" 2>/dev/null; then
  case "$(mc admin user info cv "$S3_ACCESS_KEY_ID")" in
    *"$policy"*) ;;
    *)
      echo "minio-init: could not attach policy $policy to $S3_ACCESS_KEY_ID" >&2
      exit 1
      ;;
  esac
fi
echo "minio-init: bucket $S3_BUCKET ready for $S3_ACCESS_KEY_ID"
