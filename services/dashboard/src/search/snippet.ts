export type SnippetPart = { text: string; match: boolean };

const ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'" };

/**
 * The API's snippets are escaped text with <mark> around matches. They are never given to the
 * DOM as HTML: only the exact <mark> and </mark> tokens are read as structure, every other
 * character (an entity included) becomes text, so a transcript cannot inject markup.
 */
export function parseSnippet(snippet: string): SnippetPart[] {
  const parts: SnippetPart[] = [];
  let match = false;
  for (const token of snippet.split(/(<mark>|<\/mark>)/)) {
    if (token === '<mark>') match = true;
    else if (token === '</mark>') match = false;
    else if (token.length > 0) parts.push({ text: token.replace(/&(?:amp|lt|gt|quot|#39);/g, (entity) => ENTITIES[entity]!), match });
  }
  return parts;
}
