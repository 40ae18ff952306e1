import { defineConfig } from 'vitest/config';

/**
 * One project per package, and one (`s3`) for the tests that need the S3-compatible server: only
 * that project's globalSetup starts it, so `vitest run packages/core` never pays for it. Every
 * run of the `s3` project starts its own server, on ports the kernel hands out and in its own
 * data folder (packages/probes/test/s3-global-setup.ts).
 */
const pkg = (name: string) => ({
  extends: true as const,
  test: { name, include: [`packages/${name}/test/**/*.test.ts`, `packages/${name}/src/**/*.test.ts`], exclude: ['**/node_modules/**', 'packages/probes/test/s3-*.test.ts'] },
});

export default defineConfig({
  resolve: { conditions: ['@scs-doctor/source'] },
  ssr: { resolve: { conditions: ['@scs-doctor/source'] } },
  test: {
    reporters: ['default', './test/count-reporter.ts'],
    setupFiles: ['test/fast-check-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    projects: [
      pkg('core'),
      pkg('rules'),
      pkg('adapters'),
      pkg('probes'),
      pkg('cli'),
      { extends: true, test: { name: 'examples', include: ['examples/**/*.test.ts'] } },
      // The packed tarballs installed into scratch host projects (needs `npm run build` first, as `npm ci` does).
      { extends: true, test: { name: 'packed', include: ['test/packed/**/*.test.ts'] } },
      // The HTML report in headless Chromium (Debian's, installed by scripts/install-chromium.sh).
      { extends: true, test: { name: 'browser', include: ['test/browser/**/*.test.ts'] } },
      { extends: true, test: { name: 's3', include: ['packages/probes/test/s3-*.test.ts'], globalSetup: ['packages/probes/test/s3-global-setup.ts'] } },
    ],
  },
});
