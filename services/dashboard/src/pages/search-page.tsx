import { getRouteApi, Link } from '@tanstack/react-router';
import { useState, type FormEvent } from 'react';
import { api, companyScope, unwrap } from '../api';
import { InfiniteList } from '../lists/infinite-list';
import { usePagedQuery } from '../lists/use-paged-query';
import { parseSnippet } from '../search/snippet';
import { formatDateTime } from '../ui/format';
import { Empty } from '../ui/states';
import { withOffsets } from '../ui/text-parts';

const route = getRouteApi('/search');

export function validateSearchQuery(search: Record<string, unknown>): { q?: string } {
  return typeof search.q === 'string' && search.q.trim().length > 0 ? { q: search.q.trim().slice(0, 200) } : {};
}

export function SearchPage() {
  const { q } = route.useSearch();
  const navigate = route.useNavigate();
  const [draft, setDraft] = useState(q ?? '');
  const scope = companyScope();
  // Best matches first, 50 at a time; more load as the reader scrolls, like the other lists.
  const results = usePagedQuery(
    ['search', scope, q],
    (page) => unwrap(api.GET('/v1/search', { params: { query: { q: q ?? '', limit: 50, ...scope, ...page } } })),
    { enabled: q !== undefined },
  );
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void navigate({ to: '/search', search: draft.trim() ? { q: draft.trim() } : {} });
  };
  return (
    <section aria-labelledby="search-title">
      <h1 id="search-title">Search transcripts</h1>
      <search>
        <form onSubmit={submit} className="inline-form">
          <label htmlFor="search-q">Words said in a call</label>
          <input id="search-q" type="search" value={draft} maxLength={200} onChange={(e) => setDraft(e.target.value)} />
          <button type="submit">Search</button>
        </form>
      </search>
      {q === undefined ? (
        <Empty>Type words to find the calls where they were said.</Empty>
      ) : (
        <InfiniteList query={results} what="search results" empty={<>No transcript in your scope contains “{q}”.</>}>
          {(hits) => (
            <ol className="results">
              {hits.map((hit) => (
                <li key={hit.recordingId}>
                  <Link to="/recordings/$id" params={{ id: hit.recordingId }}>
                    {formatDateTime(hit.startedAt)}
                  </Link>
                  <p className="snippet">
                    {withOffsets(parseSnippet(hit.snippet)).map((part) =>
                      part.match ? <mark key={part.offset}>{part.text}</mark> : <span key={part.offset}>{part.text}</span>,
                    )}
                  </p>
                </li>
              ))}
            </ol>
          )}
        </InfiniteList>
      )}
    </section>
  );
}
