import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '.labgate/**',
      'images/test-lab/build/**',
      'images/test-lab/dist/**',
      'jupyter-extension/labextension/**',
      'jupyter-extension/lib/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': [
        'error',
        {
          selector: "MemberExpression[object.name='process'][property.name='env']",
          message: 'Read settings through src/config.ts only.',
        },
      ],
    },
  },
  {
    // gitlab-lite is a separate program (it hands PATH to git); the rule is about labgate's own settings.
    files: [
      'src/config.ts',
      'gitlab-lite/**',
      'test/**',
      'bench/**',
      'scripts/**',
      'vitest.config.ts',
      'bin/**',
    ],
    rules: { 'no-restricted-syntax': 'off' },
  },
);
