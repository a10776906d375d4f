#!/usr/bin/env node
import { runCli } from '@opsmcp/core';
import { rocketmqServer } from './server.js';

await runCli(rocketmqServer);
