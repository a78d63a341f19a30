export { createSecretBox, generateSecretsKey, parseSecretsKey, type SecretBox } from './secret-box';
export { signTenantTag, verifyTenantTag, TAG_CALLBACK_GRACE_SECONDS, type TenantTag, type TagVerification } from './tenant-tag';
