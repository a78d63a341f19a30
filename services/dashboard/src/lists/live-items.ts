/**
 * The calls and recordings lists carry tombstones (`deletedAt`) only in their change feed
 * (`sort=updatedAt`), which the dashboard never asks for; this drops them from the page's type
 * (and from the page, should one ever come).
 */
export function liveItems<Item extends { id: string }, Page extends { items: Array<Item | { deletedAt: string }> }>(
  page: Page,
): Omit<Page, 'items'> & { items: Exclude<Page['items'][number], { deletedAt: string }>[] } {
  return { ...page, items: page.items.filter((item): item is Exclude<Page['items'][number], { deletedAt: string }> => !('deletedAt' in item)) };
}
