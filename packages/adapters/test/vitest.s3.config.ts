/**
 * The root config plus the S3 server (globalSetup), for running the adapters' S3 tests alone:
 *   npx vitest run --config packages/adapters/test/vitest.s3.config.ts packages/adapters/test/s3-probe.test.ts
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, mergeConfig } from 'vitest/config';
import base from '../../../vitest.config.ts';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const setup = fileURLToPath(new URL('./s3-global-setup.ts', import.meta.url));

const merged = mergeConfig(base, defineConfig({ root, test: { globalSetup: [setup] } }));
// Once the root config names the same globalSetup, keep one: two would start two servers.
const list = merged.test?.globalSetup;
if (merged.test && Array.isArray(list)) merged.test.globalSetup = [...new Set(list.map((p) => path.resolve(root, p)))];

export default merged;
