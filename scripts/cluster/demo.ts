/** The demo workload: a customer funds an account and submits jobs through the public REST API. */

export interface DemoJob {
  label: string
  spec: Record<string, unknown>
}

const node = process.execPath
/** A "training run": real work on the CPU, epochs printed like a trainer would. */
const train = (epochs: number, ms: number) => [
  node,
  '-e',
  `let e=0;const t=setInterval(()=>{console.log('epoch '+(++e)+'/${epochs} loss='+(1/e).toFixed(3));if(e===${epochs}){clearInterval(t)}},${ms})`,
]

export const demoJobs: DemoJob[] = [
  {
    label: 'llm-finetune',
    spec: { kind: 'training', command: train(4, 600), gpus: { count: 2, models: ['RTX4090'] } },
  },
  {
    label: 'sdxl-inference',
    spec: { kind: 'inference', command: train(2, 400), gpus: { count: 1, minVramMib: 20_000 } },
  },
  {
    label: 'big-pretrain',
    spec: { kind: 'training', command: train(3, 800), gpus: { count: 1, models: ['A100'] } },
  },
  {
    label: 'blender-frames',
    // 240 frames as 6 chunks of 40, each on whichever L4 is free; the command is filled in per chunk.
    spec: {
      kind: 'render',
      command: [
        node,
        '-e',
        'console.log("rendering frames {frameStart}-{frameEnd}"); setTimeout(() => {}, 1500)',
      ],
      gpus: { count: 1, models: ['L4'] },
      render: { frameStart: 1, frameEnd: 240, chunkSize: 40 },
    },
  },
  {
    label: 'broken-script',
    spec: {
      kind: 'training',
      command: [node, '-e', 'console.error("CUDA error: out of memory"); process.exit(2)'],
      gpus: { count: 1 },
    },
  },
  {
    label: 'ddp-2-nodes',
    spec: { kind: 'training', command: train(3, 500), gpus: { count: 1 }, nodes: 2, regions: ['eu-west'] },
  },
  {
    label: 'needs-h100',
    spec: { kind: 'training', command: train(1, 100), gpus: { count: 1, models: ['H100'] } },
  },
]

export class DemoClient {
  constructor(
    private readonly baseUrl: string,
    private apiKey = '',
  ) {}

  async call<T>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
    const res = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${this.apiKey}`,
        ...(body ? { 'content-type': 'application/json' } : {}),
      },
      ...(body ? { body: JSON.stringify(body) } : {}),
    })
    return { status: res.status, body: (await res.json()) as T }
  }

  /** A GPU owner: a provider account, and a node enrolled under it whose credential the agent uses. */
  async enrolProvider(name: string, nodeName: string): Promise<{ providerId: string; token: string }> {
    const account = await this.call<{ id: string; apiKey: string }>('POST', '/v1/accounts', {
      name,
      role: 'provider',
    })
    this.apiKey = account.body.apiKey
    const node = await this.call<{ token: string }>('POST', '/v1/nodes', { name: nodeName })
    if (node.status !== 201) throw new Error(`enrolling ${nodeName} failed with ${node.status}`)
    return { providerId: account.body.id, token: node.body.token }
  }

  /** The API key this client calls with (set by signing up or enrolling). */
  get key(): string {
    return this.apiKey
  }

  /**
   * A provider's credentials kept from an earlier run: true (and used from
   * now on) when the key is still valid and names a node, as after a restart
   * on the same database; false when it does not (a new database).
   */
  async resume(apiKey: string): Promise<boolean> {
    const before = this.apiKey
    this.apiKey = apiKey
    const nodes = await this.call<{ data?: unknown[] }>('GET', '/v1/nodes')
    if (nodes.status === 200 && (nodes.body.data?.length ?? 0) > 0) return true
    this.apiKey = before
    return false
  }

  /** As the provider: until one of my nodes reports its GPUs and is online. */
  async waitForOnlineNode(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs
    while (Date.now() < deadline) {
      const nodes = await this.call<{ data: { state: string }[] }>('GET', '/v1/nodes')
      if (nodes.body.data?.some((n) => n.state === 'online')) return
      await new Promise((r) => setTimeout(r, 250))
    }
    throw new Error(`no node of this provider came online within ${timeoutMs} ms`)
  }

  async signUp(name: string, depositMicros: number): Promise<string> {
    const account = await this.call<{ id: string; apiKey: string }>('POST', '/v1/accounts', { name })
    this.apiKey = account.body.apiKey
    await this.call('POST', '/v1/deposits', { amountMicros: depositMicros })
    return account.body.id
  }
}
