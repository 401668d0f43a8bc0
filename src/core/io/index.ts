export * from './modelFile';
