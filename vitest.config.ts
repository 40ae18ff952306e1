import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: { conditions: ['@scs-doctor/source'] },
  ssr: { resolve: { conditions: ['@scs-doctor/source'] } },
  test: {
    include: ['packages/*/test/**/*.test.ts', 'packages/*/src/**/*.test.ts', 'examples/**/*.test.ts'],
    reporters: ['default', './test/count-reporter.ts'],
    globalSetup: ['packages/adapters/test/s3-global-setup.ts'],
    setupFiles: ['test/fast-check-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  },
});
