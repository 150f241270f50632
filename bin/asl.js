#!/usr/bin/env node
'use strict';
// The `asl` command: the engine's CLI is TypeScript, loaded through tsx so that the same
// source runs in development, CI and production without a build step.
require('tsx/cjs');
require('../services/engine/cli/asl.ts').main(process.argv);
