/**
 * Libraries that only some rule packs need, loaded when first needed rather than at every start:
 * re2js (rules with `signature.engine: linear`, or trusted patterns) and regexpp (the pattern
 * safety check, for patterns whose verdict is not already known). `preloadRuleModules` (async,
 * called by the adapters' loadRulePack) loads what a pack needs by import(), which in the command
 * line's bundle reads a chunk of its own; a synchronous caller that did not preload (compileRules
 * is synchronous and public) gets the module from `require` on first use.
 */
import { createRequire } from 'node:module';
import type * as Re2 from 're2js';
import type * as Regexpp from '@eslint-community/regexpp';

let re2: typeof Re2 | undefined;
let regexpp: typeof Regexpp | undefined;

/**
 * Loads a package by `require`, resolved from this module. A call the bundler does not read as
 * `require` (the bundle would otherwise put the package in the start's chunk); both packages ship
 * CommonJS builds with the same API.
 */
function requireNow<T>(name: string): T {
  return createRequire(import.meta.url)(name) as T;
}

/** re2js, loaded now if no preload did. */
export function re2js(): typeof Re2 {
  return (re2 ??= requireNow<typeof Re2>('re2js'));
}

/** regexpp, loaded now if no preload did. */
export function regexppModule(): typeof Regexpp {
  return (regexpp ??= requireNow<typeof Regexpp>('@eslint-community/regexpp'));
}

/** Loads re2js ahead of a synchronous use. */
export async function preloadRe2js(): Promise<void> {
  re2 ??= await import('re2js');
}

/** Loads regexpp ahead of a synchronous use. */
export async function preloadRegexpp(): Promise<void> {
  regexpp ??= await import('@eslint-community/regexpp');
}
