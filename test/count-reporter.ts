/**
 * Prints the run's totals as one plain line, `N passed, N failed, N skipped`, which CI reads.
 * A test module that fails to load, and an error outside any test, count as one failure each.
 */
import type { Reporter, TestModule } from 'vitest/node';

export default class CountReporter implements Reporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<unknown> = []): void {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    for (const m of modules) {
      let any = false;
      for (const t of m.children.allTests()) {
        any = true;
        const s = t.result().state;
        if (s === 'passed') passed++;
        else if (s === 'failed') failed++;
        else skipped++;
      }
      if (!any && m.state() === 'failed') failed++;
      else if (m.errors().length > 0 && m.state() === 'failed' && any === false) failed++;
    }
    // A failed global setup or an error outside any test is a failure too.
    failed += unhandledErrors.length;
    process.stdout.write(`\n${passed} passed, ${failed} failed, ${skipped} skipped\n`);
  }
}
