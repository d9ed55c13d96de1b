/**
 * Heartbeats arrive every few seconds from every node; writing each one to
 * Postgres would cost one round trip each. They are noted in memory and
 * flushed as one UPDATE per interval (see liveness.ts). A node's liveness
 * therefore lags by at most one flush interval, which the grace absorbs.
 */
export class HeartbeatBuffer {
  private seen = new Set<string>()
  private noted = 0

  /** Notes the node alive; answers how many heartbeats this buffer has noted (for sampling). */
  note(nodeId: string): number {
    this.seen.add(nodeId)
    return ++this.noted
  }

  /** Drops what was noted of the node since the last flush (its stream ended, or its agent is leaving). */
  forget(nodeId: string): void {
    this.seen.delete(nodeId)
  }

  /** Puts back what a flush drained but could not write, for the next flush. */
  restore(nodeIds: readonly string[]): void {
    for (const id of nodeIds) this.seen.add(id)
  }

  /** The nodes seen since the last call. */
  drain(): string[] {
    const ids = [...this.seen]
    this.seen = new Set()
    return ids
  }
}
