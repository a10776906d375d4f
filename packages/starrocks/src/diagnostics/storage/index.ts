export * from './analysis.js';
export * from './rules.js';
export * from './thresholds.js';
export * from './views.js';
