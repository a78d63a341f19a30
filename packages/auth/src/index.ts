export { createTokenVerifier, TokenError, type TokenVerifier, type VerifiedToken, type TokenVerifierConfig } from './token-verifier';
export { mintToken, parseTtl, MAX_MINTED_TTL_SECONDS } from './mint-token';
export { withVerifiedTokenCache, type VerifiedTokenCacheOptions } from './verified-token-cache';
