#!/usr/bin/env node
import { runCli } from '@opsmcp/core';
import { starRocksServer } from './server.js';

await runCli(starRocksServer);
