import { describe, expect, it } from 'vitest';
import { parseSnippet } from './snippet';

describe('search snippets', () => {
  it('reads <mark> as highlight and everything else as text', () => {
    expect(parseSnippet('the <mark>refund</mark> was &lt;b&gt;late&lt;/b&gt; &amp; small')).toEqual([
      { text: 'the ', match: false },
      { text: 'refund', match: true },
      { text: ' was <b>late</b> & small', match: false },
    ]);
  });

  it('leaves any other markup as visible text', () => {
    expect(parseSnippet('<img src=x onerror=alert(1)><mark>x</mark>')).toEqual([
      { text: '<img src=x onerror=alert(1)>', match: false },
      { text: 'x', match: true },
    ]);
  });
});
