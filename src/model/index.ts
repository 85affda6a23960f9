export * from './facts.js';
export * from './observation.js';
export * from './device.js';
export * from './snapshot.js';
export * from './change.js';
export * from './target.js';
export * from './errors.js';
