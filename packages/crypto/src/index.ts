export { createSecretBox, generateSecretsKey, parseSecretsKey, type SecretBox } from './secret-box';
export { signer, type Signer, type SigningPurpose } from './signer';
export { signTenantTag, verifyTenantTag, TAG_CALLBACK_GRACE_SECONDS, type TenantTag, type TagVerification } from './tenant-tag';
