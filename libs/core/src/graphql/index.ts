export * from './connection';
export * from './context';
export * from './node';
export * from './scalars';
export * from './input-fields';
export * from './selection';
export * from './field-args';
