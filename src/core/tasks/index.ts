/** Public entry point for the task generators and their behavioural metrics. */
export * from './types';
export * from './trial';
export * from './mwg';
export * from './cognitive';
export * from './eft';
export * from './describe';
export * from './pool';
