/**
 * Refuses regular expressions that can backtrack catastrophically. V8's regex engine backtracks,
 * so a pattern like `(a+)+$` can take exponential time on a crafted line. Checked at load:
 * nested unbounded quantifiers (star height above one) and unbounded repetition of an
 * alternation whose branches can start alike.
 */

interface Group {
  hasUnbounded: boolean;
  branchesFirst: string[];
  alternation: boolean;
}

/** Returns why a pattern is unsafe, or undefined when it passes the checks. */
export function unsafeRegexReason(pattern: string): string | undefined {
  const stack: Group[] = [{ hasUnbounded: false, branchesFirst: [''], alternation: false }];
  let i = 0;
  let lastAtomGroup: Group | undefined;
  let lastAtomFirst = '';
  let inClass = false;
  while (i < pattern.length) {
    const c = pattern[i]!;
    const top = stack[stack.length - 1]!;
    if (inClass) {
      if (c === '\\') i += 2;
      else {
        if (c === ']') inClass = false;
        i++;
      }
      continue;
    }
    const branch = top.branchesFirst.length - 1;
    const noteFirst = (s: string) => {
      if (top.branchesFirst[branch] === '') top.branchesFirst[branch] = s;
    };
    if (c === '\\') {
      const tok = pattern.slice(i, i + 2);
      noteFirst(tok);
      lastAtomGroup = undefined;
      lastAtomFirst = tok;
      i += 2;
    } else if (c === '[') {
      inClass = true;
      noteFirst('[class]');
      lastAtomGroup = undefined;
      lastAtomFirst = '[class]';
      i++;
    } else if (c === '(') {
      stack.push({ hasUnbounded: false, branchesFirst: [''], alternation: false });
      i++;
      if (pattern[i] === '?') {
        // (?:  (?=  (?!  (?<=  (?<!  (?<name>
        if (pattern[i + 1] === '<' && pattern[i + 2] !== '=' && pattern[i + 2] !== '!') {
          const end = pattern.indexOf('>', i);
          i = end < 0 ? pattern.length : end + 1;
        } else i += pattern[i + 1] === '<' ? 3 : 2;
      }
    } else if (c === ')') {
      const g = stack.pop()!;
      if (stack.length === 0) return undefined; // unbalanced: the compiler reports it
      const parent = stack[stack.length - 1]!;
      const pb = parent.branchesFirst.length - 1;
      if (parent.branchesFirst[pb] === '') parent.branchesFirst[pb] = g.branchesFirst.join('|') || '(empty)';
      if (g.hasUnbounded) parent.hasUnbounded = true;
      lastAtomGroup = g;
      lastAtomFirst = '';
      i++;
    } else if (c === '|') {
      top.branchesFirst.push('');
      top.alternation = true;
      lastAtomGroup = undefined;
      i++;
    } else if (c === '*' || c === '+' || c === '{') {
      let unbounded = c !== '{';
      let len = 1;
      if (c === '{') {
        const m = /^\{(\d+)(,(\d*))?\}/.exec(pattern.slice(i));
        if (!m) {
          noteFirst('{');
          i++;
          continue;
        }
        len = m[0].length;
        unbounded = m[2] !== undefined && (m[3] === '' || Number(m[3]) > 16);
      }
      if (unbounded) {
        if (lastAtomGroup?.hasUnbounded) return 'a repeated group holds another unbounded repetition (nested quantifiers)';
        if (lastAtomGroup?.alternation) {
          const firsts = lastAtomGroup.branchesFirst;
          const seen = new Set<string>();
          for (const f of firsts) {
            if (f === '' || f.includes('[class]') || f.startsWith('\\') || f === '.' || seen.has(f)) {
              return 'a repeated alternation has branches that can match the same text';
            }
            seen.add(f);
          }
        }
        top.hasUnbounded = true;
      }
      void lastAtomFirst;
      i += len;
      if (pattern[i] === '?') i++;
    } else if (c === '?') {
      i++;
    } else {
      noteFirst(c === '.' ? '.' : c);
      lastAtomGroup = undefined;
      lastAtomFirst = c;
      i++;
    }
  }
  return undefined;
}
