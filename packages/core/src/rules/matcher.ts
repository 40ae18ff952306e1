/**
 * How a rule's pattern runs. Patterns the backtracking check proves safe run on V8's own engine
 * (fast, and what the built-in pack uses). A pattern the check cannot prove safe runs, when its
 * rule asks for it (`signature.engine: linear`) or the host trusts it (`trustPatterns`), on RE2's
 * algorithm (re2js): linear time in the text whatever the pattern, never V8's backtracking.
 * RE2 has no lookaround or backreferences; its `\s` and `.` are ASCII-minded (see docs/writing-rules.md).
 */
import { re2js } from './optional-modules.js';

export interface PatternMatch {
  index: number;
  groups: Record<string, string | undefined> | undefined;
}

export interface PatternMatcher {
  readonly engine: 'backtracking' | 'linear';
  readonly source: string;
  exec(text: string): PatternMatch | null;
}

/** V8's engine (the pattern has passed the backtracking check). */
export function backtrackingMatcher(pattern: string, flags: string): PatternMatcher {
  const re = new RegExp(pattern, flags.replace(/[gy]/g, ''));
  return {
    engine: 'backtracking',
    source: pattern,
    exec(text) {
      const m = re.exec(text);
      return m ? { index: m.index, groups: m.groups } : null;
    },
  };
}

/** RE2's linear-time engine. Throws with RE2's reason when it cannot run the pattern. */
export function linearMatcher(pattern: string, flags: string): PatternMatcher {
  const { RE2JS } = re2js();
  let f = 0;
  if (flags.includes('s')) f |= RE2JS.DOTALL;
  if (flags.includes('m')) f |= RE2JS.MULTILINE;
  if (flags.includes('i')) f |= RE2JS.CASE_INSENSITIVE;
  const re = RE2JS.compile(pattern, f);
  const names = Object.keys(re.namedGroups());
  return {
    engine: 'linear',
    source: pattern,
    exec(text) {
      const m = re.matcher(text);
      if (!m.find()) return null;
      // RE2 counts in UTF-16 units as JavaScript does.
      let groups: Record<string, string | undefined> | undefined;
      if (names.length) {
        groups = {};
        for (const n of names) groups[n] = m.group(n) ?? undefined;
      }
      return { index: m.start(), groups };
    },
  };
}

/** Why RE2 cannot run a pattern, or undefined when it can. */
export function linearEngineRefusal(pattern: string, flags: string): string | undefined {
  try {
    linearMatcher(pattern, flags);
    return undefined;
  } catch (e) {
    return (e as Error).message.replace(/^error parsing regexp: /, '');
  }
}
