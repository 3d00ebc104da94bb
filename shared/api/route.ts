import type { z } from 'zod';

export type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';
export interface RouteSpec {
  readonly method: Method;
  /** Fastify-style path with `:param` placeholders. */
  readonly path: string;
  readonly auth: 'none' | 'learner' | 'staff' | 'admin' | 'any';
  readonly params?: z.ZodType;
  readonly body?: z.ZodType;
  readonly reply: z.ZodType;
}

export const route = <const R extends RouteSpec>(r: R): R => r;
