import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api, ApiError, companyScope, unwrap } from '../../api';
import { formatDateTime } from '../../ui/format';
import { QueryState } from '../../ui/states';

const errorText = (error: unknown) => (error instanceof ApiError ? error.message : 'could not save');

/**
 * Secrets are write-only: the API says whether one is set, never what it is, and the form sends
 * a secret only when one was typed (an empty field keeps the stored one).
 */
function TwilioSettings() {
  const scope = companyScope();
  const client = useQueryClient();
  const settings = useQuery({ queryKey: ['settings', 'twilio', scope], queryFn: () => unwrap(api.GET('/v1/settings/twilio', { params: { query: scope } })) });
  const [draft, setDraft] = useState({ accountSid: '', authToken: '', deleteFromProviderAfterArchive: false });
  const save = useMutation({
    mutationFn: () =>
      unwrap(
        api.PUT('/v1/settings/twilio', {
          params: { query: scope },
          body: {
            accountSid: draft.accountSid || settings.data?.accountSid || '',
            deleteFromProviderAfterArchive: draft.deleteFromProviderAfterArchive,
            ...(draft.authToken ? { authToken: draft.authToken } : {}),
            ...scope,
          },
        }),
      ),
    onSuccess: (data) => {
      client.setQueryData(['settings', 'twilio', scope], data);
      setDraft((current) => ({ ...current, authToken: '' }));
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate();
  };
  return (
    <section aria-labelledby="twilio-title">
      <h2 id="twilio-title">Twilio</h2>
      <QueryState query={settings} what="Twilio settings">
        {(data) => (
          <form className="settings" onSubmit={submit}>
            <p className="muted">
              {data.configured ? `Configured${data.provenAt ? `, proven ${formatDateTime(data.provenAt)}` : ''}.` : 'Not configured.'} Auth token:{' '}
              {data.authTokenSet ? 'set' : 'not set'}.
            </p>
            <label>
              Account SID{' '}
              <input
                value={draft.accountSid || data.accountSid || ''}
                onChange={(e) => setDraft({ ...draft, accountSid: e.target.value.trim() })}
                pattern="AC[0-9a-fA-F]{32}"
                required
              />
            </label>
            <label>
              Auth token (write-only){' '}
              <input
                type="password"
                autoComplete="off"
                value={draft.authToken}
                onChange={(e) => setDraft({ ...draft, authToken: e.target.value })}
                placeholder={data.authTokenSet ? 'unchanged' : ''}
              />
            </label>
            <label className="checkbox">
              <input
                type="checkbox"
                checked={draft.deleteFromProviderAfterArchive}
                onChange={(e) => setDraft({ ...draft, deleteFromProviderAfterArchive: e.target.checked })}
              />{' '}
              Delete from Twilio after archiving
            </label>
            <button type="submit" disabled={save.isPending}>
              Save Twilio settings
            </button>
            {save.isSuccess ? <p role="status">Saved.</p> : null}
            {save.error ? (
              <p role="alert" className="error-text">
                {errorText(save.error)}
              </p>
            ) : null}
          </form>
        )}
      </QueryState>
    </section>
  );
}

function VapiSettings() {
  const scope = companyScope();
  const client = useQueryClient();
  const settings = useQuery({ queryKey: ['settings', 'vapi', scope], queryFn: () => unwrap(api.GET('/v1/settings/vapi', { params: { query: scope } })) });
  const [draft, setDraft] = useState({ orgId: '', apiKey: '', webhookSecret: '' });
  const save = useMutation({
    mutationFn: () =>
      unwrap(
        api.PUT('/v1/settings/vapi', {
          params: { query: scope },
          body: {
            orgId: draft.orgId || settings.data?.orgId || '',
            ...(draft.apiKey ? { apiKey: draft.apiKey } : {}),
            ...(draft.webhookSecret ? { webhookSecret: draft.webhookSecret } : {}),
            ...scope,
          },
        }),
      ),
    onSuccess: (data) => {
      client.setQueryData(['settings', 'vapi', scope], data);
      setDraft((current) => ({ ...current, apiKey: '', webhookSecret: '' }));
    },
  });
  return (
    <section aria-labelledby="vapi-title">
      <h2 id="vapi-title">VAPI</h2>
      <QueryState query={settings} what="VAPI settings">
        {(data) => (
          <form
            className="settings"
            onSubmit={(event) => {
              event.preventDefault();
              save.mutate();
            }}
          >
            <p className="muted">
              {data.configured ? 'Configured.' : 'Not configured.'} API key: {data.apiKeySet ? 'set' : 'not set'}; webhook secret:{' '}
              {data.webhookSecretSet ? 'set' : 'not set'}.
            </p>
            <label>
              Org id <input value={draft.orgId || data.orgId || ''} onChange={(e) => setDraft({ ...draft, orgId: e.target.value.trim() })} required />
            </label>
            <label>
              API key (write-only){' '}
              <input
                type="password"
                autoComplete="off"
                value={draft.apiKey}
                onChange={(e) => setDraft({ ...draft, apiKey: e.target.value })}
                placeholder={data.apiKeySet ? 'unchanged' : ''}
              />
            </label>
            <label>
              Webhook secret (write-only){' '}
              <input
                type="password"
                autoComplete="off"
                value={draft.webhookSecret}
                onChange={(e) => setDraft({ ...draft, webhookSecret: e.target.value })}
                placeholder={data.webhookSecretSet ? 'unchanged' : ''}
              />
            </label>
            <button type="submit" disabled={save.isPending}>
              Save VAPI settings
            </button>
            {save.isSuccess ? <p role="status">Saved.</p> : null}
            {save.error ? (
              <p role="alert" className="error-text">
                {errorText(save.error)}
              </p>
            ) : null}
          </form>
        )}
      </QueryState>
    </section>
  );
}

export function SettingsPage() {
  return (
    <section aria-labelledby="settings-title">
      <h1 id="settings-title">Provider settings</h1>
      <TwilioSettings />
      <VapiSettings />
    </section>
  );
}
