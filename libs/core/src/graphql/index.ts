export * from './connection';
export * from './context';
export * from './node';
export * from './scalars';
