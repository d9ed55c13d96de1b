import { type Send, sendJson } from './transport.js'
import type { EnrolledNode, Node, NodeHours } from './types.js'

const nodePath = (id: string, rest = '') => `/v1/nodes/${encodeURIComponent(id)}${rest}`

/** A provider's machines. Every call needs a provider account's key. */
export class Nodes {
  constructor(private readonly send: Send) {}

  /** Enrols a machine; the agent's credential (`token`) is in this answer only. */
  enroll(name: string): Promise<EnrolledNode> {
    return sendJson<EnrolledNode>(this.send, { method: 'POST', path: '/v1/nodes', body: { name } })
  }

  async list(): Promise<Node[]> {
    return (await sendJson<{ data: Node[] }>(this.send, { method: 'GET', path: '/v1/nodes' })).data
  }

  get(id: string): Promise<Node> {
    return sendJson<Node>(this.send, { method: 'GET', path: nodePath(id) })
  }

  /** The asking price for new work; work already placed keeps its agreed price. */
  setPrice(id: string, pricePerGpuHourMicros: number): Promise<Node> {
    return sendJson<Node>(this.send, {
      method: 'PATCH',
      path: nodePath(id),
      body: { pricePerGpuHourMicros },
      repeatable: true,
    })
  }

  /**
   * Lends the node only in these weekly hours: outside them it takes no new
   * work, in them only work that ends before they close. `null`: always.
   */
  setHours(id: string, hours: NodeHours | null): Promise<Node> {
    return sendJson<Node>(
      this.send,
      hours === null
        ? { method: 'DELETE', path: nodePath(id, '/hours'), repeatable: true }
        : { method: 'PUT', path: nodePath(id, '/hours'), body: hours, repeatable: true },
    )
  }

  /** Finish current work and take no new work. */
  drain(id: string): Promise<Node> {
    return sendJson<Node>(this.send, { method: 'POST', path: nodePath(id, '/drain'), repeatable: true })
  }

  undrain(id: string): Promise<Node> {
    return sendJson<Node>(this.send, { method: 'POST', path: nodePath(id, '/undrain'), repeatable: true })
  }

  /** The node's credential stops working now; its agent is disconnected. */
  revoke(id: string): Promise<Node> {
    return sendJson<Node>(this.send, { method: 'POST', path: nodePath(id, '/revoke'), repeatable: true })
  }
}
