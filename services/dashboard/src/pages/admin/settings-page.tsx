import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api, companyScope, unwrap } from '../../api';
import { ProviderSettingsForm } from './provider-settings-form';

const loadTwilio = (scope: ReturnType<typeof companyScope>) => unwrap(api.GET('/v1/settings/twilio', { params: { query: scope } }));

function TwilioSettings() {
  const scope = companyScope();
  // The same query the form runs (shared by its key): the checkbox starts from what is stored.
  const stored = useQuery({ queryKey: ['settings', 'twilio', scope], queryFn: () => loadTwilio(scope) });
  // Undefined until the box is touched: a save then leaves the stored choice as it is.
  const [deleteAfterArchive, setDeleteAfterArchive] = useState<boolean | undefined>(undefined);
  const checked = deleteAfterArchive ?? stored.data?.deleteFromProviderAfterArchive ?? false;
  return (
    <ProviderSettingsForm
      id="twilio"
      title="Twilio"
      load={loadTwilio}
      account={{ label: 'Account SID', stored: (stored) => stored.accountSid, pattern: 'AC[0-9a-fA-F]{32}' }}
      secrets={[{ name: 'authToken', label: 'Auth token', isSet: (stored) => stored.authTokenSet }]}
      save={({ account, secrets, scope }) =>
        unwrap(
          api.PUT('/v1/settings/twilio', {
            params: { query: scope },
            body: {
              accountSid: account,
              ...(deleteAfterArchive === undefined ? {} : { deleteFromProviderAfterArchive: deleteAfterArchive }),
              ...secrets,
              ...scope,
            },
          }),
        )
      }
    >
      <label className="checkbox">
        <input type="checkbox" checked={checked} onChange={(e) => setDeleteAfterArchive(e.target.checked)} /> Delete from Twilio after archiving
      </label>
    </ProviderSettingsForm>
  );
}

function VapiSettings() {
  return (
    <ProviderSettingsForm
      id="vapi"
      title="VAPI"
      load={(scope) => unwrap(api.GET('/v1/settings/vapi', { params: { query: scope } }))}
      account={{ label: 'Org id', stored: (stored) => stored.orgId }}
      secrets={[
        { name: 'apiKey', label: 'API key', isSet: (stored) => stored.apiKeySet },
        { name: 'webhookSecret', label: 'Webhook secret', isSet: (stored) => stored.webhookSecretSet },
      ]}
      save={({ account, secrets, scope }) => unwrap(api.PUT('/v1/settings/vapi', { params: { query: scope }, body: { orgId: account, ...secrets, ...scope } }))}
    />
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
