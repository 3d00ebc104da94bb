export * from './admin';
export * from './auth';
export * from './errors';
export * from './exams';
export * from './recording';
export * from './routes';
export * from './sessions';
