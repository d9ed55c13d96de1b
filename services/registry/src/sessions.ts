import type { ControlMessage } from '@idlegrid/proto/registry'

/** One connected agent stream, as the rest of the registry sees it. */
export interface AgentSession {
  nodeId: string
  send(message: ControlMessage): void
  /** Ends the stream with OK; the agent reconnects (to any replica). */
  end(): void
  /** Ends the stream with an error status (revoked credential, replaced stream). */
  fail(status: { code: number; details: string }): void
}

/**
 * The agent streams held by this process. A node has at most one: a newer
 * connection replaces (and ends) an older one.
 */
export class AgentSessions {
  private readonly byNode = new Map<string, AgentSession>()

  attach(session: AgentSession): void {
    const previous = this.byNode.get(session.nodeId)
    this.byNode.set(session.nodeId, session)
    if (previous && previous !== session) previous.end()
  }

  /** Removes the session if it is still the node's current one; true when it was. */
  detach(session: AgentSession): boolean {
    if (this.byNode.get(session.nodeId) !== session) return false
    this.byNode.delete(session.nodeId)
    return true
  }

  get(nodeId: string): AgentSession | undefined {
    return this.byNode.get(nodeId)
  }

  get size(): number {
    return this.byNode.size
  }

  endAll(): void {
    for (const session of [...this.byNode.values()]) session.end()
    this.byNode.clear()
  }
}
