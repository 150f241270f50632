'use strict';
// Two projects, one runner: the LWC consoles (jsdom, @salesforce/sfdx-lwc-jest) and the
// TypeScript engine, local org and metadata checks (node, transpiled by SWC; `npm run
// typecheck` does the type checking so tests stay fast).
const { jestConfig } = require('@salesforce/sfdx-lwc-jest/config');

const swc = [
    '@swc/jest',
    { jsc: { target: 'es2023', parser: { syntax: 'typescript' } }, module: { type: 'commonjs' } }
];

module.exports = {
    reporters: ['default', '<rootDir>/test/support/summaryReporter.js'],
    projects: [
        {
            ...jestConfig,
            displayName: 'lwc',
            rootDir: __dirname,
            roots: ['<rootDir>/force-app'],
            testMatch: ['**/__tests__/**/*.test.js'],
            setupFilesAfterEnv: [
                ...(jestConfig.setupFilesAfterEnv || []),
                '<rootDir>/force-app/test/jest-mocks/setup/sa11y.js'
            ],
            // Only the platform modules whose data the tests drive are mocked here; base
            // components (lightning-button, ...) and the other lightning/* modules come from
            // sfdx-lwc-jest's own stubs. Labels are not mapped: the transformer then yields
            // "c.Label_Name", and a test checks every label exists in CustomLabels.
            moduleNameMapper: {
                '^lightning/(graphql|empApi)$': '<rootDir>/force-app/test/jest-mocks/lightning/$1'
            }
        },
        {
            displayName: 'engine',
            rootDir: __dirname,
            testEnvironment: 'node',
            roots: ['<rootDir>/services', '<rootDir>/test', '<rootDir>/scripts'],
            testMatch: ['**/*.test.ts'],
            testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/browser/'],
            transform: { '^.+\\.ts$': swc },
            moduleFileExtensions: ['ts', 'js', 'json']
        }
    ]
};
