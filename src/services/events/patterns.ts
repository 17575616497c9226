import { compilePattern, parsePattern, PatternError, type CompiledPattern } from '../../events/pattern.ts';
import { invalidPattern } from './errors.ts';

const cache = new Map<string, CompiledPattern>();

/** Compiles (and caches) a rule's pattern; bad patterns are InvalidEventPatternException. */
export function compiled(text: string): CompiledPattern {
  let c = cache.get(text);
  if (!c) {
    try {
      c = compilePattern(parsePattern(text));
    } catch (err) {
      if (err instanceof PatternError) throw invalidPattern(err.message);
      throw err;
    }
    if (cache.size > 10_000) cache.clear();
    cache.set(text, c);
  }
  return c;
}
