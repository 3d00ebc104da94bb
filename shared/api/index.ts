export * from './admin';
export * from './auth';
export * from './errors';
export * from './exams';
export * from './routes';
export * from './sessions';
