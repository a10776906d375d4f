#!/usr/bin/env node
import { runCli } from '@opsmcp/core';
import { multicloudServer } from './server.js';

await runCli(multicloudServer);
