import { ValidationError } from '@idlegrid/errors'
import { type grpc, toServiceError } from '@idlegrid/grpc'
import type { AgentMessage__Output, ControlMessage } from '@idlegrid/proto/registry'
import { inSpan, SpanKind } from '@idlegrid/telemetry'
import { onAck, onCompletion, onProgress } from '../../agent-stream/assignment-updates.js'
import { registerAgent } from '../../agent-stream/register.js'
import type { AppContext } from '../../context.js'
import { pendingAssignments } from '../../db/assignments.js'
import { markNode, touchHeartbeat } from '../../db/nodes.js'
import type { AgentSession } from '../../sessions.js'
import { toAssignmentMessage } from './assignment-message.js'

type AgentCall = grpc.ServerDuplexStream<AgentMessage__Output, ControlMessage>

/**
 * The agent's stream. Messages are handled strictly in order (a chain of
 * promises), so an ack is never processed after the completion it preceded.
 * A bad message ends the stream with its gRPC status (INVALID_ARGUMENT names
 * the field); the agent may reconnect and resume.
 */
export const connect = (ctx: AppContext, isStopping: () => boolean) => (call: AgentCall) => {
  let session: AgentSession | undefined
  let closed = false
  let chain = Promise.resolve()

  const close = () => {
    if (closed) return
    closed = true
    if (session && ctx.sessions.detach(session) && !isStopping()) {
      const nodeId = session.nodeId
      markNode(ctx.db, nodeId, 'offline').catch((err) =>
        ctx.logger.warn({ err, nodeId }, 'could not mark node offline'),
      )
      ctx.logger.info({ nodeId }, 'agent disconnected')
    }
  }
  const fail = (err: unknown) => {
    const status = toServiceError(err)
    if (status.code === 13) ctx.logger.error({ err, nodeId: session?.nodeId }, 'agent stream failed')
    if (!closed) call.emit('error', status)
    close()
  }

  const handle = async (msg: AgentMessage__Output) => {
    if (closed) return
    if (!session) {
      if (msg.body !== 'register' || !msg.register)
        throw new ValidationError('body', 'the first message must be register')
      const { nodeId, resumed } = await registerAgent(ctx, msg.register)
      session = {
        nodeId,
        send: (message) => {
          if (!closed) call.write(message)
        },
        end: () => {
          if (!closed) call.end()
          close()
        },
      }
      ctx.sessions.attach(session)
      session.send({ registered: { nodeId, heartbeatIntervalMs: ctx.config.HEARTBEAT_INTERVAL_MS } })
      ctx.logger.info({ nodeId, resumed, gpus: msg.register.inventory?.gpus.length }, 'agent registered')
      // Work reserved while the agent was away (or never acknowledged) is delivered again.
      for (const row of await pendingAssignments(ctx.db, nodeId))
        session.send({ assignment: toAssignmentMessage(row) })
      return
    }
    const nodeId = session.nodeId
    switch (msg.body) {
      case 'heartbeat':
        return touchHeartbeat(ctx.db, nodeId)
      case 'ack':
        return onAck(ctx, nodeId, msg.ack!)
      case 'progress':
        return onProgress(ctx, nodeId, msg.progress!)
      case 'completion':
        return onCompletion(ctx, nodeId, msg.completion!)
      case 'register':
        throw new ValidationError('register', 'this stream is already registered')
      default:
        throw new ValidationError('body', 'message has no body')
    }
  }

  // A span per agent message, so what it causes (settlement, job events) is traceable to it.
  const traced = (msg: AgentMessage__Output) =>
    inSpan(
      `agent ${msg.body ?? 'unknown'}`,
      { kind: SpanKind.SERVER, attributes: { 'node.id': session?.nodeId ?? '' } },
      () => handle(msg),
    )
  call.on('data', (msg: AgentMessage__Output) => {
    chain = chain.then(() => traced(msg)).catch(fail)
  })
  call.on('end', () => {
    chain = chain.then(() => {
      if (!closed) call.end()
      close()
    })
  })
  call.on('error', close)
  call.on('cancelled', close)
}
