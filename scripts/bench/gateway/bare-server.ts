import Fastify from 'fastify'

/** The baseline: a bare Fastify hello-world in its own process; told its port over IPC, answers "ready". */
process.once('message', async (message: { port: number }) => {
  const app = Fastify()
  app.get('/hello', async () => ({ hello: 'world' }))
  await app.listen({ host: '127.0.0.1', port: message.port })
  process.send?.('ready')
})
