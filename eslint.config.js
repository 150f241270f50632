'use strict';
const lwcConfig = require('@salesforce/eslint-config-lwc');
const tseslint = require('typescript-eslint');
const globals = require('globals');

module.exports = [
    {
        ignores: [
            'node_modules/**',
            '.sfdx/**',
            '.sf/**',
            'coverage/**',
            'data/**',
            'artifacts/**',
            'force-app/main/default/staticresources/**',
            'preview/dist/**'
        ]
    },
    // The consoles: Salesforce's own LWC rules.
    ...lwcConfig.configs.recommended.map((config) => ({
        ...config,
        // preview/client is the preview's platform layer: browser modules compiled with the consoles.
        files: ['force-app/**/*.js', 'preview/client/**/*.js']
    })),
    {
        files: ['force-app/**/__tests__/**/*.js', 'force-app/test/**/*.js'],
        languageOptions: { globals: { ...globals.node, ...globals.jest } }
    },
    // The engine, local org and scripts: strict TypeScript rules.
    ...tseslint.configs.recommended.map((config) => ({
        ...config,
        files: ['services/**/*.ts', 'scripts/**/*.ts', 'test/**/*.ts', 'preview/**/*.ts']
    })),
    {
        files: ['services/**/*.ts', 'scripts/**/*.ts', 'test/**/*.ts', 'preview/**/*.ts'],
        rules: {
            '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }]
        }
    },
    {
        // The engine never knows whether the org is real or local.
        files: ['services/engine/**/*.ts'],
        rules: {
            'no-restricted-imports': [
                'error',
                { patterns: [{ group: ['**/local-org/**'], message: 'The engine must not import the local org.' }] }
            ]
        }
    },
    {
        // The local org is a test and demo instrument: it never imports the engine.
        files: ['services/local-org/**/*.ts'],
        rules: {
            'no-restricted-imports': [
                'error',
                { patterns: [{ group: ['**/engine/**'], message: 'The local org must not import the engine.' }] }
            ]
        }
    },
    {
        // The core is pure: no I/O, no wall clock, no global randomness.
        files: ['services/engine/core/**/*.ts'],
        ignores: ['**/*.test.ts'],
        rules: {
            'no-restricted-imports': [
                'error',
                {
                    patterns: [
                        { group: ['node:*', 'fs', 'http', 'https', 'net', 'jsforce', 'express'], message: 'core/ is pure domain code: do I/O in org/, jobs/, http/ or cli/.' },
                        { group: ['**/org/**', '**/jobs/**', '**/http/**', '**/cli/**', '**/features/**'], message: 'Dependencies point inwards: core/ must not import adapters.' },
                        { group: ['**/local-org/**'], message: 'The engine must not import the local org.' }
                    ]
                }
            ],
            'no-restricted-properties': [
                'error',
                { object: 'Date', property: 'now', message: 'Time enters core as an argument (a clock).' },
                { object: 'Math', property: 'random', message: 'Randomness enters core as a seeded generator.' }
            ]
        }
    },
    {
        files: ['bin/**/*.js', '*.config.js', 'eslint.config.js', 'jest.config.js'],
        languageOptions: { sourceType: 'commonjs', globals: { ...globals.node } }
    }
];
