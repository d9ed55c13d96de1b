export type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
export * from './app.js'
export * from './ops.js'
export * from './problem.js'
