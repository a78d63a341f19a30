import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { useState, type FormEvent } from 'react';
import { api, ApiError, unwrap } from '../api';
import { apiErrorFrom } from '@callvault/api-client';
import { can, type Role } from '../auth/permissions';
import { ConfirmedButton } from '../ui/confirmed-button';

type Recording = { id: string; starred: boolean; archived: boolean; legalHold: boolean; tags: string[]; status: string; format: string | null };

const TAG = /^[\p{L}\p{N} _.-]{1,40}$/u;

/** Saves the recording the API sent back into the cache, so every view of it agrees at once. */
function useRecordingMutation<TInput>(recordingId: string, mutate: (input: TInput) => Promise<unknown>) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: mutate,
    onSuccess: (data) => {
      if (data && typeof data === 'object' && 'id' in data) client.setQueryData(['recording', recordingId], data);
      void client.invalidateQueries({ queryKey: ['recordings'] });
    },
  });
}

const message = (error: unknown) => (error instanceof ApiError ? error.message : error instanceof Error ? error.message : null);

/** A download is a 302 to a signed URL that needs our bearer token first: fetched, then saved. */
async function download(recording: Recording) {
  const response = await fetch(`/v1/recordings/${recording.id}/download`, {
    headers: { authorization: `Bearer ${sessionStorage.getItem('callvault.token') ?? ''}` },
  });
  if (!response.ok) {
    // The gateway answers a problem; storage (after the redirect) answers its own XML.
    const fromGateway = /^application\/problem\+json/.test(response.headers.get('content-type') ?? '');
    throw apiErrorFrom(response, fromGateway ? await response.json() : { code: 'download_failed', detail: `download failed (${response.status})` });
  }
  const disposition = response.headers.get('content-disposition') ?? '';
  const name = /filename="([^"]+)"/.exec(disposition)?.[1] ?? `${recording.id}.${recording.format ?? 'audio'}`;
  const link = document.createElement('a');
  link.href = URL.createObjectURL(await response.blob());
  link.download = name;
  link.click();
  setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
}

export function RecordingActions({ recording, role }: { recording: Recording; role: Role | undefined }) {
  const id = recording.id;
  const navigate = useNavigate();
  const [tagDraft, setTagDraft] = useState('');
  const [notice, setNotice] = useState<string | null>(null);
  const patch = useRecordingMutation(id, (body: { starred?: boolean; archived?: boolean; tags?: string[] }) =>
    unwrap(api.PATCH('/v1/recordings/{id}', { params: { path: { id } }, body })),
  );
  const hold = useRecordingMutation(id, (legalHold: boolean) =>
    unwrap(api.PUT('/v1/recordings/{id}/legal-hold', { params: { path: { id } }, body: { legalHold } })),
  );
  const rerun = useMutation({
    mutationFn: async (what: 'transcript' | 'analyze') => {
      if (what === 'transcript') await unwrap(api.POST('/v1/recordings/{id}/transcript', { params: { path: { id } } }));
      else await unwrap(api.POST('/v1/recordings/{id}/analyze', { params: { path: { id } } }));
      return what;
    },
    onSuccess: (what) => setNotice(what === 'transcript' ? 'A new transcript was requested.' : 'New analytics were requested.'),
  });
  const remove = useMutation({
    mutationFn: () => unwrap(api.DELETE('/v1/recordings/{id}', { params: { path: { id } } })),
    onSuccess: () => void navigate({ to: '/recordings' }),
  });
  const save = useMutation({ mutationFn: () => download(recording) });

  const addTag = (event: FormEvent) => {
    event.preventDefault();
    const tag = tagDraft.trim();
    if (!TAG.test(tag)) return setNotice('A tag is 1–40 letters, digits, spaces, dots, dashes or underscores.');
    if (!recording.tags.includes(tag)) patch.mutate({ tags: [...recording.tags, tag] });
    setTagDraft('');
  };
  const error = message(patch.error) ?? message(hold.error) ?? message(rerun.error) ?? message(remove.error) ?? message(save.error);

  return (
    <div className="actions">
      <div className="button-row">
        <button type="button" aria-pressed={recording.starred} onClick={() => patch.mutate({ starred: !recording.starred })} disabled={patch.isPending}>
          {recording.starred ? '★ Starred' : '☆ Star'}
        </button>
        <button type="button" aria-pressed={recording.archived} onClick={() => patch.mutate({ archived: !recording.archived })} disabled={patch.isPending}>
          {recording.archived ? 'Unarchive' : 'Archive'}
        </button>
        {recording.status === 'stored' ? (
          <button type="button" onClick={() => save.mutate()} disabled={save.isPending}>
            {save.isPending ? 'Downloading…' : 'Download'}
          </button>
        ) : null}
        {can(role, 'legalHold') ? (
          <button type="button" aria-pressed={recording.legalHold} onClick={() => hold.mutate(!recording.legalHold)} disabled={hold.isPending}>
            {recording.legalHold ? 'Release legal hold' : 'Place legal hold'}
          </button>
        ) : null}
        {can(role, 'rerun') && recording.status === 'stored' ? (
          <>
            <button type="button" onClick={() => rerun.mutate('transcript')} disabled={rerun.isPending}>
              Re-run transcript
            </button>
            <button type="button" onClick={() => rerun.mutate('analyze')} disabled={rerun.isPending}>
              Re-run analysis
            </button>
          </>
        ) : null}
        {can(role, 'deleteRecording') ? (
          <ConfirmedButton
            question="Delete this recording, its transcript and analytics? A tombstone is kept."
            onConfirm={() => remove.mutate()}
            disabled={remove.isPending || recording.legalHold}
            title={recording.legalHold ? 'Under legal hold: cannot be deleted' : undefined}
          >
            Delete
          </ConfirmedButton>
        ) : null}
      </div>
      <div className="tags">
        <span>Tags:</span>
        {recording.tags.length === 0 ? <span className="muted">none</span> : null}
        {recording.tags.map((tag) => (
          <span className="tag" key={tag}>
            {tag}
            <button type="button" aria-label={`Remove tag ${tag}`} onClick={() => patch.mutate({ tags: recording.tags.filter((other) => other !== tag) })}>
              ×
            </button>
          </span>
        ))}
        <form onSubmit={addTag} className="inline-form">
          <label className="visually-hidden" htmlFor="new-tag">
            New tag
          </label>
          <input id="new-tag" value={tagDraft} onChange={(e) => setTagDraft(e.target.value)} maxLength={40} placeholder="add a tag" />
          <button type="submit">Add</button>
        </form>
      </div>
      {notice ? <p role="status">{notice}</p> : null}
      {error ? (
        <p role="alert" className="error-text">
          {error}
        </p>
      ) : null}
    </div>
  );
}
