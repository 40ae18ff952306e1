import { describe, expect, it } from 'vitest';
import { compileRules, diagnose, render } from '../src/internal.js';
import { log, rule } from './helpers.js';

const pack = compileRules([
  rule({ id: 'tags', signature: { anchors: ['uncovered tags'], pattern: 'uncovered tags: (?<tags>.+)$' }, params: { tags: { type: 'list' } }, summary: 'Tags {{tags}} uncovered', remediation: ['Map <b>{{tags}}</b>.'] }),
]);
const report = diagnose(pack, { logs: [log('uncovered tags: CUI, <script>alert(1)</script>', { time: '2026-05-12T10:00:00Z' })] });

describe('renderers', () => {
  it('text puts the fix before the cause', () => {
    const t = render(report, 'text');
    expect(t.indexOf('Fix:')).toBeLessThan(t.indexOf('Cause:'));
  });

  it('html escapes everything taken from input', () => {
    const h = render(report, 'html');
    expect([h.includes('<script>'), h.includes('&lt;script&gt;')]).toEqual([false, true]);
  });

  it('markdown escapes markup in text taken from input', () => {
    expect(render(report, 'markdown')).toContain('Map &lt;b&gt;CUI, &lt;script&gt;');
  });

  it('json is the report itself', () => {
    expect(JSON.parse(render(report, 'json'))).toEqual(report);
  });

  it('text says so when nothing is found', () => {
    expect(render(diagnose(pack, { logs: [] }), 'text')).toContain('No known failure found');
  });

  it('list parameters are split and trimmed', () => {
    expect(report.diagnoses[0]!.params['tags']).toEqual(['CUI', '<script>alert(1)</script>']);
  });
});
