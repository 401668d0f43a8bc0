export * from './evaluate';
export * from './pca';
export * from './subspace';
export * from './align';
export * from './theory';
export * from './behaviour';
