/**
 * Word-level difference between an alt-text and its transformed caption, for showing what the
 * hypernymization removed or replaced. Both sides are tokenised as the CC3M release tokenises
 * (lower case, punctuation as its own token), then aligned by longest common subsequence.
 */

export interface DiffPart {
  kind: "same" | "removed" | "added";
  text: string;
}

const TOKEN = /[\p{L}\p{N}]+(?:['’\-][\p{L}\p{N}]+)*|<[a-z]+>|[^\s\p{L}\p{N}]/gu;

/** Lower-cased word and punctuation tokens. */
export function diffTokens(text: string): string[] {
  return text.toLowerCase().match(TOKEN) ?? [];
}

/** The parts of `after` against `before`: kept tokens, removed tokens, added tokens (runs merged). */
export function wordDiff(before: string, after: string): DiffPart[] {
  const a = diffTokens(before);
  const b = diffTokens(after);
  // lcs[i][j]: longest common subsequence of a[i..] and b[j..]
  const lcs = Array.from({ length: a.length + 1 }, () => new Uint16Array(b.length + 1));
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) lcs[i]![j] = a[i] === b[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
  }
  const parts: DiffPart[] = [];
  const push = (kind: DiffPart["kind"], text: string) => {
    const last = parts[parts.length - 1];
    if (last && last.kind === kind) last.text += ` ${text}`;
    else parts.push({ kind, text });
  };
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      push("same", a[i]!);
      i++;
      j++;
    } else if (i < a.length && (j === b.length || lcs[i + 1]![j]! >= lcs[i]![j + 1]!)) push("removed", a[i++]!);
    else push("added", b[j++]!); // on a tie the removal comes first: "old words → new words" reads left to right
  }
  return parts;
}
