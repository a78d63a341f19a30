import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent, type ReactNode } from 'react';
import { companyScope } from '../../api';
import { Failure } from '../../ui/failure';
import { formatDateTime } from '../../ui/format';
import { QueryState } from '../../ui/states';

type Scope = ReturnType<typeof companyScope>;

/** What every provider's settings answer says besides its own fields. */
interface StoredSettings {
  configured: boolean;
  provenAt: string | null;
}

/** A credential the API accepts but never returns: it only says whether one is stored. */
interface Secret<S, K extends string> {
  name: K;
  label: string;
  isSet: (stored: S) => boolean;
}

/** What a save sends: the account id, and only the secrets that were typed. */
interface SettingsChange<K extends string> {
  account: string;
  secrets: Partial<Record<K, string>>;
  scope: Scope;
}

/**
 * The settings of one telephony provider. Secrets are write-only: the API says whether one is
 * set, never what it is, and the form sends a secret only when one was typed (an empty field keeps
 * the stored one). Provider-only fields come as children, their values in the provider's `save`.
 */
export function ProviderSettingsForm<S extends StoredSettings, K extends string>({
  id,
  title,
  account,
  secrets,
  load,
  save,
  children,
}: {
  id: 'twilio' | 'vapi';
  title: string;
  account: { label: string; stored: (stored: S) => string | null; pattern?: string };
  secrets: Secret<S, K>[];
  load: (scope: Scope) => Promise<S>;
  save: (change: SettingsChange<K>) => Promise<S>;
  children?: ReactNode;
}) {
  const scope = companyScope();
  const client = useQueryClient();
  const queryKey = ['settings', id, scope];
  const settings = useQuery({ queryKey, queryFn: () => load(scope) });
  const [accountDraft, setAccountDraft] = useState('');
  const [secretDrafts, setSecretDrafts] = useState<Partial<Record<K, string>>>({});
  const storedAccount = settings.data ? account.stored(settings.data) : null;
  const mutation = useMutation({
    mutationFn: () => {
      const typed = Object.fromEntries(Object.entries(secretDrafts).filter(([, value]) => value)) as Partial<Record<K, string>>;
      return save({ account: accountDraft || storedAccount || '', secrets: typed, scope });
    },
    onSuccess: (data) => {
      client.setQueryData(queryKey, data);
      setSecretDrafts({});
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    mutation.mutate();
  };
  return (
    <section aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{title}</h2>
      <QueryState query={settings} what={`${title} settings`}>
        {(data) => (
          <form className="settings" onSubmit={submit}>
            <p className="muted">
              {data.configured ? `Configured${data.provenAt ? `, proven ${formatDateTime(data.provenAt)}` : ''}.` : 'Not configured.'}{' '}
              {secrets.map((secret) => `${secret.label}: ${secret.isSet(data) ? 'set' : 'not set'}`).join('; ')}.
            </p>
            <label>
              {account.label}{' '}
              <input
                value={accountDraft || account.stored(data) || ''}
                onChange={(e) => setAccountDraft(e.target.value.trim())}
                {...(account.pattern ? { pattern: account.pattern } : {})}
                required
              />
            </label>
            {secrets.map((secret) => (
              <label key={secret.name}>
                {secret.label} (write-only){' '}
                <input
                  type="password"
                  autoComplete="off"
                  value={secretDrafts[secret.name] ?? ''}
                  onChange={(e) => setSecretDrafts({ ...secretDrafts, [secret.name]: e.target.value })}
                  placeholder={secret.isSet(data) ? 'unchanged' : ''}
                />
              </label>
            ))}
            {children}
            <button type="submit" disabled={mutation.isPending}>
              Save {title} settings
            </button>
            {mutation.isSuccess ? <p role="status">Saved.</p> : null}
            <Failure error={mutation.error} fallback="could not save" />
          </form>
        )}
      </QueryState>
    </section>
  );
}
