// `npm run lint`: typescript-eslint with type information, regexp checks, vitest checks.
import js from '@eslint/js';
import vitest from '@vitest/eslint-plugin';
import regexp from 'eslint-plugin-regexp';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['packages/*/test/fixtures/**', '**/dist/**', '**/node_modules/**', 'bench/.corpus/**', 'coverage/**', 'docs/api/**', '.tmp/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  regexp.configs['flat/recommended'],
  {
    languageOptions: {
      parserOptions: { project: ['./tsconfig.check.json'], tsconfigRootDir: import.meta.dirname },
      globals: { process: 'readonly', console: 'readonly', URL: 'readonly', Buffer: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', performance: 'readonly', globalThis: 'readonly' },
    },
    rules: {
      // `_`-prefixed parameters and caught errors are deliberately unused.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      // The readers strip control characters from log lines on purpose.
      'no-control-regex': 'off',
    },
  },
  {
    files: ['**/*.test.ts', '**/test/**/*.ts'],
    plugins: { vitest },
    rules: {
      ...vitest.configs.recommended.rules,
      // vitest's expect takes a message as its second argument (which case failed, in a table).
      'vitest/valid-expect': ['error', { maxArgs: 2 }],
      // Async generators stand in for streams, and memory tests drop references on purpose.
      '@typescript-eslint/require-await': 'off',
      'no-useless-assignment': 'off',
      // Tests read JSON the code under test wrote, and assert on its shape.
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      // Property tests assert inside the property, on the branch the generated case took.
      'vitest/no-conditional-expect': 'off',
      // A setup that cannot work (no build) fails the file at once, from beforeAll.
      'vitest/no-standalone-expect': ['error', { additionalTestBlockFunctions: ['beforeAll'] }],
      // Property tests assert through fc.assert; fixture helpers through expectAgreement.
      'vitest/expect-expect': ['error', { assertFunctionNames: ['expect', 'expect*', 'fc.assert'] }],
      // Hostile-input tests build control characters and backtracking patterns deliberately.
      'no-control-regex': 'off',
      'regexp/no-super-linear-backtracking': 'off',
      // fast-check's stringMatching refuses flags: generator patterns spell their classes out.
      'regexp/use-ignore-case': 'off',
    },
  },
  {
    // zod patterns here are carried into the shipped JSON Schemas, where a pattern takes no flags:
    // a class spelled out must stay spelled out (no `i` flag in its place).
    files: ['packages/core/src/schema/**/*.ts'],
    rules: { 'regexp/use-ignore-case': 'off', 'regexp/prefer-w': 'off', 'regexp/no-useless-character-class': 'off' },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
  },
);
