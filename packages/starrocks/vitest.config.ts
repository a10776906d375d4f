import { defineConfig, mergeConfig } from 'vitest/config';
import shared from '../../vitest.shared.js';

// The diagnostics tests run whole scenarios through the simulator: give them more room.
export default mergeConfig(shared, defineConfig({ test: { testTimeout: 30_000 } }));
