export { createTokenVerifier, TokenError, type TokenVerifier, type VerifiedToken, type TokenVerifierConfig } from './token-verifier';
export { mintToken, parseTtl } from './mint-token';
