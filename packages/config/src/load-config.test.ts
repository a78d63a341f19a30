import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './load-config';

describe('loadConfig', () => {
  it('applies the local defaults and derives the app role URL from the owner URL', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/callvault',
      PLAYBACK_URL_TTL_SECONDS: 300,
      PUBLIC_BASE_URL: 'http://127.0.0.1:3001',
    });
    expect(config.DATABASE_APP_URL).toBe('postgres://callvault_app@127.0.0.1:5432/callvault');
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('reports every bad or missing variable in one error', () => {
    let caught: unknown;
    try {
      loadConfig({ REDIS_URL: 'not a url', PLAYBACK_URL_TTL_SECONDS: '7200', MEDIA_FETCH_ALLOWED_HOSTS: 'http://evil/', PORT: '-1' }, ['SECRETS_KEY']);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    const problems = (caught as ConfigError).problems.join('\n');
    for (const name of ['REDIS_URL', 'PLAYBACK_URL_TTL_SECONDS', 'MEDIA_FETCH_ALLOWED_HOSTS', 'PORT']) expect(problems).toContain(name);
  });

  it('reads model prices, a model name holding colons included, and refuses an entry without both prices', () => {
    expect(loadConfig({ INTELLIGENCE_PRICE_PER_MILLION_TOKENS: 'gpt-4o-mini:0.15:0.6, llama3.1:8b:0:0' }).INTELLIGENCE_PRICE_PER_MILLION_TOKENS).toEqual([
      { model: 'gpt-4o-mini', inputPerMillion: 0.15, outputPerMillion: 0.6 },
      { model: 'llama3.1:8b', inputPerMillion: 0, outputPerMillion: 0 },
    ]);
    expect(loadConfig({}).INTELLIGENCE_PRICE_PER_MILLION_TOKENS).toEqual([]);
    expect(() => loadConfig({ INTELLIGENCE_PRICE_PER_MILLION_TOKENS: 'gpt-4o:2.5' })).toThrow(/INTELLIGENCE_PRICE_PER_MILLION_TOKENS/);
    expect(() => loadConfig({ INTELLIGENCE_PRICE_PER_MILLION_TOKENS: 'gpt-4o:x:1' })).toThrow(/model:input:output/);
  });

  it('names required variables that are missing', () => {
    expect(() => loadConfig({}, ['SECRETS_KEY', 'TAG_SIGNING_KEY'])).toThrow(/SECRETS_KEY: required; TAG_SIGNING_KEY: required/);
  });

  it('normalises lists and URLs: hosts lower-cased, trailing slashes dropped, empty values treated as unset', () => {
    const config = loadConfig({
      MEDIA_FETCH_ALLOWED_HOSTS: ' API.Twilio.com , 127.0.0.1:3010 ',
      PUBLIC_BASE_URL: 'https://ingest.example.com/',
      S3_ENDPOINT: '',
    });
    expect(config.MEDIA_FETCH_ALLOWED_HOSTS).toEqual(['api.twilio.com', '127.0.0.1:3010']);
    expect(config.PUBLIC_BASE_URL).toBe('https://ingest.example.com');
    expect(config.S3_ENDPOINT).toBeUndefined();
  });

  it('reads CORS origins as exact origins and refuses anything else, naming the variable', () => {
    expect(loadConfig({}).CORS_ALLOWED_ORIGINS).toEqual([]);
    expect(loadConfig({ CORS_ALLOWED_ORIGINS: ' https://crm.example.com , http://localhost:5173 ' }).CORS_ALLOWED_ORIGINS).toEqual([
      'https://crm.example.com',
      'http://localhost:5173',
    ]);
    for (const bad of ['https://crm.example.com/', 'https://crm.example.com/app', '*', 'crm.example.com', 'ftp://crm.example.com', 'https://CRM.example.com'])
      expect(() => loadConfig({ CORS_ALLOWED_ORIGINS: `https://ok.example.com,${bad}` }), bad).toThrow(/CORS_ALLOWED_ORIGINS/);
  });

  it('refuses a dashboard issuer without a client id or without the JWKS that verifies its tokens', () => {
    expect(() => loadConfig({ OIDC_ISSUER_URL: 'https://id.example.com' })).toThrow(
      /OIDC_CLIENT_ID: required when OIDC_ISSUER_URL is set; AUTH_JWKS_URL: required/,
    );
    expect(() => loadConfig({ OIDC_ISSUER_URL: 'https://id.example.com', OIDC_CLIENT_ID: 'callvault' })).toThrow(
      /AUTH_JWKS_URL: required when OIDC_ISSUER_URL/,
    );
    const config = loadConfig({ OIDC_ISSUER_URL: 'https://id.example.com', OIDC_CLIENT_ID: 'callvault', AUTH_JWKS_URL: 'https://id.example.com/jwks' });
    expect(config).toMatchObject({ OIDC_CLIENT_ID: 'callvault', OIDC_SCOPES: 'openid profile email' });
    expect(() => loadConfig({ OIDC_SCOPES: 'openid "x"' })).toThrow(/OIDC_SCOPES/);
  });
});
