import type { ControlMessage } from '@idlegrid/proto/registry'
import type { Logger } from '@idlegrid/telemetry'
import { Redis } from 'ioredis'
import type { AgentSessions } from './sessions.js'

/** What ends a stream from afar: a gRPC status code and the message the agent sees. */
export interface StreamEnd {
  code: number
  details: string
}

interface RoutedMessage {
  nodeId: string
  deliver?: ControlMessage
  end?: StreamEnd
}

/**
 * Reaches an agent whichever registry replica holds its stream. The local
 * replica is tried first; otherwise the message is published on one Redis
 * channel every replica listens to, and the one holding the stream acts.
 * Pub/sub may drop a message, so delivery is also backed by the database:
 * pending assignments are re-sent on (re)connect and by the redelivery sweep.
 */
export interface StreamRouter {
  deliver(nodeId: string, message: ControlMessage): Promise<void>
  end(nodeId: string, status: StreamEnd): Promise<void>
  start(): Promise<void>
  stop(): Promise<void>
}

export function createStreamRouter(options: {
  redisUrl: string
  channel: string
  publisher: Redis
  sessions: AgentSessions
  logger: Logger
}): StreamRouter {
  const { sessions } = options
  const subscriber = new Redis(options.redisUrl, { maxRetriesPerRequest: null, lazyConnect: true })
  subscriber.on('error', () => {})

  const actLocally = (routed: RoutedMessage): boolean => {
    const session = sessions.get(routed.nodeId)
    if (!session) return false
    if (routed.deliver) session.send(routed.deliver)
    if (routed.end) session.fail(routed.end)
    return true
  }
  const route = async (routed: RoutedMessage) => {
    if (actLocally(routed)) return
    await options.publisher.publish(options.channel, JSON.stringify(routed)).catch((err: Error) => {
      options.logger.warn(
        { err: err.message, nodeId: routed.nodeId },
        'could not route to another replica; the sweep will retry',
      )
    })
  }

  return {
    deliver: (nodeId, message) => route({ nodeId, deliver: message }),
    end: (nodeId, status) => route({ nodeId, end: status }),
    async start() {
      await subscriber.connect()
      subscriber.on('message', (_channel, raw: string) => {
        try {
          actLocally(JSON.parse(raw) as RoutedMessage)
        } catch (err) {
          options.logger.warn({ err }, 'bad routed message ignored')
        }
      })
      await subscriber.subscribe(options.channel)
    },
    async stop() {
      await subscriber.quit().catch(() => {})
    },
  }
}
