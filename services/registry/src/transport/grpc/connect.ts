import { DomainError, ValidationError } from '@idlegrid/errors'
import { type grpc, toServiceError } from '@idlegrid/grpc'
import type { AgentMessage__Output, ControlMessage } from '@idlegrid/proto/registry'
import { inSpan, SpanKind } from '@idlegrid/telemetry'
import { onProgress, StaleRunError } from '../../agent-stream/assignment-updates.js'
import { authenticateStream, type NodeIdentity, registerAgent } from '../../agent-stream/register.js'
import type { AppContext } from '../../context.js'
import { pendingAssignments } from '../../db/assignments.js'
import { findNode, markSuspect } from '../../db/nodes.js'
import type { AgentSession } from '../../sessions.js'
import { toAssignmentMessage } from './assignment-message.js'

/** One heartbeat in this many taken on arrival is timed (idlegrid_heartbeat_handle_seconds). */
const HEARTBEAT_SAMPLE = 16

type AgentCall = grpc.ServerDuplexStream<AgentMessage__Output, ControlMessage>

/**
 * The agent's stream. It authenticates from metadata before anything else;
 * messages are then handled strictly in order (a promise chain), so an ack is
 * never processed after the completion it preceded. A bad message ends the
 * stream with its status (INVALID_ARGUMENT names the field); a report about a
 * run taken from this node is refused and answered with a `lost` cancel.
 */
export const connect = (ctx: AppContext, isStopping: () => boolean) => (call: AgentCall) => {
  let session: AgentSession | undefined
  /** This stream's connect number: its end makes the node suspect only if no later connect came. */
  let connectionSeq = ''
  let closed = false
  /** The agent said it is shutting down: its heartbeats no longer keep the node taking work. */
  let leaving = false
  const identity: Promise<NodeIdentity> = authenticateStream(ctx, call.metadata)
  let chain: Promise<unknown> = identity

  const close = () => {
    if (closed) return
    closed = true
    if (session && ctx.sessions.detach(session) && !isStopping()) {
      const nodeId = session.nodeId
      // A heartbeat noted before the stream ended must not make the node connected again at the next flush.
      ctx.heartbeats.forget(nodeId)
      // Not offline yet: the agent may reconnect within the grace and keep its work.
      markSuspect(ctx.db, nodeId, connectionSeq).catch((err) =>
        ctx.logger.warn({ err, nodeId }, 'could not mark node suspect'),
      )
      ctx.logger.info({ nodeId }, 'agent disconnected')
    }
  }
  const failWith = (status: { code: number; details: string; metadata?: grpc.Metadata }) => {
    if (!closed) call.emit('error', status)
    close()
  }
  const fail = (err: unknown) => {
    if (err instanceof StaleRunError && session) {
      session.send({ cancel: { assignmentId: err.assignmentId, reason: 'lost', graceS: 0 } })
      return
    }
    const status = toServiceError(err)
    if (status.code === 13) ctx.logger.error({ err, nodeId: session?.nodeId }, 'agent stream failed')
    failWith({
      code: status.code,
      details: status.details ?? 'error',
      ...(status.metadata ? { metadata: status.metadata } : {}),
    })
  }

  const register = async (who: NodeIdentity, msg: AgentMessage__Output) => {
    if (msg.body !== 'register' || !msg.register)
      throw new ValidationError('body', 'the first message must be register')
    const registered = await registerAgent(ctx, who, msg.register)
    connectionSeq = registered.connectionSeq
    session = {
      nodeId: who.nodeId,
      send: (message) => {
        if (!closed) call.write(message)
      },
      end: () => {
        if (!closed) call.end()
        close()
      },
      fail: failWith,
    }
    ctx.sessions.attach(session)
    // A revocation that committed after the credential check could not end this stream yet: look again.
    if ((await findNode(ctx.db, who.nodeId))?.credential_revoked_at) {
      throw new DomainError('unauthenticated', 'invalid_node_credential', 'this node credential was revoked')
    }
    session.send({
      registered: { nodeId: who.nodeId, heartbeatIntervalMs: ctx.config.HEARTBEAT_INTERVAL_MS },
    })
    ctx.logger.info({ nodeId: who.nodeId, gpus: msg.register.inventory?.gpus.length }, 'agent registered')
    // Work reserved while the agent was away (or never acknowledged) is delivered again.
    for (const row of await pendingAssignments(ctx.db, who.nodeId))
      session.send({ assignment: toAssignmentMessage(row) })
  }

  const handle = async (msg: AgentMessage__Output) => {
    if (closed) return
    const who = await identity
    if (!session) return register(who, msg)
    switch (msg.body) {
      case 'heartbeat':
        if (!leaving) ctx.heartbeats.note(who.nodeId)
        return
      case 'ack':
        return ctx.reports.acks.add({ nodeId: who.nodeId, ack: msg.ack! })
      case 'progress':
        return onProgress(ctx, who.nodeId, msg.progress!)
      case 'completion':
        return ctx.reports.completions.add({ who, completion: msg.completion! })
      case 'leaving':
        leaving = true
        ctx.heartbeats.forget(who.nodeId)
        // No new work, or the runs it is about to report interrupted would be placed right back here.
        await markSuspect(ctx.db, who.nodeId, connectionSeq)
        ctx.logger.info({ nodeId: who.nodeId, reason: msg.leaving?.reason }, 'agent leaving: no new work')
        return
      case 'register':
        throw new ValidationError('register', 'this stream is already registered')
      default:
        throw new ValidationError('body', 'message has no body')
    }
  }

  // A span per agent message (heartbeats excepted: they are the bulk and do no IO).
  const traced = (msg: AgentMessage__Output) =>
    msg.body === 'heartbeat'
      ? handle(msg)
      : inSpan(
          `agent ${msg.body ?? 'unknown'}`,
          { kind: SpanKind.SERVER, attributes: { 'node.id': session?.nodeId ?? '' } },
          () => handle(msg),
        )

  identity.catch(fail)
  call.on('data', (msg: AgentMessage__Output) => {
    const received = process.hrtime.bigint()
    // A registered stream's heartbeat only says it is alive: noted at once, not queued behind its reports
    // (10,000 nodes send thousands a second; a promise chain per heartbeat was a visible share of the CPU).
    if (msg.body === 'heartbeat' && session && !closed) {
      if (leaving) return
      // Timed one in HEARTBEAT_SAMPLE: observing a prom-client histogram cost more than noting the heartbeat.
      if (ctx.heartbeats.note(session.nodeId) % HEARTBEAT_SAMPLE === 0)
        ctx.counters.heartbeatSeconds.observe(Number(process.hrtime.bigint() - received) / 1e9)
      return
    }
    chain = chain
      .then(() => traced(msg))
      .then(() => {
        // From arrival to handled, including any wait behind this stream's earlier messages.
        if (msg.body === 'heartbeat')
          ctx.counters.heartbeatSeconds.observe(Number(process.hrtime.bigint() - received) / 1e9)
      })
      .catch(fail)
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
