#!/usr/bin/env node
import { runAgentCli } from './cli.js';

const code = await runAgentCli({ argv: process.argv.slice(2), env: process.env, cwd: process.cwd() });
if (code !== undefined) process.exitCode = code;
