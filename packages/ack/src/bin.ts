#!/usr/bin/env node
import { runCli } from '@opsmcp/core';
import { ackServer } from './server.js';

await runCli(ackServer);
