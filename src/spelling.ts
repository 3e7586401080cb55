/**
 * "Did you mean …?" for names a user may misspell (config keys, namespaces, stack-file keys).
 */

/** Edit distance (insertions, deletions, substitutions, adjacent swaps) between `a` and `b`. */
export function editDistance(a: string, b: string): number {
  const rows: number[][] = [];
  for (let i = 0; i <= a.length; i++) {
    rows.push([i]);
    for (let j = 1; j <= b.length; j++) {
      if (i === 0) {
        rows[0].push(j);
        continue;
      }
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(rows[i - 1][j] + 1, rows[i][j - 1] + 1, rows[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, rows[i - 2][j - 2] + 1);
      rows[i].push(best);
    }
  }
  return rows[a.length][b.length];
}

/**
 * The candidate closest to `word` (case-insensitive), when it is close enough to be a likely typo: at most a
 * third of its length away, and at most 3 edits. Undefined when nothing is that close.
 */
export function nearestName(word: string, candidates: Iterable<string>): string | undefined {
  // Long input is never a typo of a short name; bounding it keeps the cost linear in the stack file.
  if (word.length > 64) return undefined;
  let best: { name: string; distance: number } | undefined;
  for (const name of candidates) {
    const distance = editDistance(word.toLowerCase(), name.toLowerCase());
    const limit = Math.min(3, Math.max(1, Math.floor(name.length / 3)));
    if (distance <= limit && (best === undefined || distance < best.distance)) best = { name, distance };
  }
  return best?.name;
}

/** ` (did you mean "x"?)`, or `` when nothing is close. */
export function didYouMean(word: string, candidates: Iterable<string>): string {
  const near = nearestName(word, candidates);
  return near === undefined ? "" : ` (did you mean "${near}"?)`;
}
