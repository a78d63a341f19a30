import type { Reporter, TestModule } from 'vitest/node';

/**
 * Prints the closing line CI reads: `Tests: N passed, N failed` (skipped ones are counted apart),
 * after the Node.js version the run used.
 */
export default class SummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<unknown>): void {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    for (const module of testModules) {
      let failedInModule = 0;
      for (const test of module.children.allTests()) {
        const state = test.result().state;
        if (state === 'passed') passed += 1;
        else if (state === 'failed') failedInModule += 1;
        else skipped += 1;
      }
      // A file that failed with no failed test (it failed to load, or a beforeAll/afterAll threw,
      // e.g. the gateway's response contract check on close) must not read as green.
      failed += failedInModule || (module.state() === 'failed' ? 1 : 0);
    }
    failed += unhandledErrors.length;
    // Which runtime ran the tests: package.json's `node` devDependency, whatever Node started pnpm.
    process.stdout.write(`\nNode: ${process.version}`);
    process.stdout.write(`\nTests: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}\n`);
  }
}
