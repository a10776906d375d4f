export * from './acs3.js';
export * from './sigv4.js';
export * from './sls.js';
export * from './volcengine.js';
