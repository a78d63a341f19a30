/** The parts of a split text, each with where it starts in that text: a key that belongs to the part, not to its index. */
export function withOffsets<T extends { text: string }>(parts: T[]): Array<T & { offset: number }> {
  let offset = 0;
  return parts.map((part) => {
    const positioned = { ...part, offset };
    offset += part.text.length;
    return positioned;
  });
}
