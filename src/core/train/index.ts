export * from './optimizer';
export * from './loss';
export * from './session';
export * from './phases';
