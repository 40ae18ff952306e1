/**
 * Prints the run's totals as one plain line, `N passed, N failed, N skipped`, which CI reads.
 * A test module that failed by itself (it did not load, or a hook failed) while none of its tests
 * did, and an error outside any test, count as one failure each.
 */
import type { Reporter, TestModule } from 'vitest/node';

export default class CountReporter implements Reporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<unknown> = []): void {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    for (const m of modules) {
      let testsFailed = 0;
      for (const t of m.children.allTests()) {
        const s = t.result().state;
        if (s === 'passed') passed++;
        else if (s === 'failed') testsFailed++;
        else skipped++;
      }
      failed += testsFailed;
      if (testsFailed === 0 && m.state() === 'failed') failed++;
    }
    // A failed global setup or an error outside any test is a failure too.
    failed += unhandledErrors.length;
    process.stdout.write(`\n${passed} passed, ${failed} failed, ${skipped} skipped\n`);
  }
}
