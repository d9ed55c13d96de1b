/**
 * The node agent on a real GPU machine, checked end to end: real nvidia-smi
 * discovery and stats, and a real CUDA job run through the real agent over a
 * real gRPC stream (against the test registry, which speaks the same
 * protocol). Run on a machine with an NVIDIA GPU:
 *   node --import tsx services/node-agent/device/gpu-check.ts <out.json>
 * (or the esbuild bundle of this file where Node has no node_modules).
 * Not part of CI: CI machines have no GPU.
 */
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createLogger } from '@idlegrid/telemetry'
import { createAgent } from '../src/index.js'
import { startFakeRegistry } from '../test/support/fake-registry.js'

const out = process.argv[2] ?? 'gpu-check.json'
// A matrix-multiply load on the one GPU the agent exposes; prints what the job saw.
const job = `
import os, time, torch
d = torch.device('cuda')
a = torch.randn(8192, 8192, device=d, dtype=torch.float16); b = torch.randn(8192, 8192, device=d, dtype=torch.float16)
torch.cuda.synchronize(); t = time.time(); n = 0
while time.time() - t < 8:
    c = a @ b; n += 1
torch.cuda.synchronize(); s = time.time() - t
print('visible', os.environ.get('CUDA_VISIBLE_DEVICES'), 'count', torch.cuda.device_count(), torch.cuda.get_device_name(0))
print('tflops %.1f' % (2 * 8192**3 * n / s / 1e12))
`

const registry = await startFakeRegistry({ heartbeatIntervalMs: 1000 })
const agent = createAgent(
  {
    registry: registry.address,
    token: `node_${'0'.repeat(25)}g.${'s'.repeat(43)}`,
    region: 'device',
    pricePerGpuHourMicros: '2500000',
    nodeName: 'gpu-check',
    stateDir: mkdtempSync(join(tmpdir(), 'idlegrid-agent-')),
    progressIntervalMs: 1000,
  },
  { logger: createLogger('agent', 'warn') },
)
await agent.start()
const register = await registry.waitFor((m) => m.body === 'register', 30_000)
const heartbeat = await registry.waitFor((m) => m.body === 'heartbeat', 30_000)
registry.assign({
  assignmentId: 'asg_gpucheck',
  jobId: 'job_gpucheck',
  gpuIndexes: [0],
  epoch: '1',
  pricePerGpuHourMicros: '2500000',
  spec: {
    kind: 'training',
    command: ['python3', '-c', job],
    env: {},
    gpus: { count: 1, models: [], minVramMib: 0 },
    maxPricePerGpuHourMicros: '2500000',
    maxDurationS: 120,
    currency: 'USD',
  },
})
const completion = await registry.waitFor((m) => m.body === 'completion', 120_000)
const progress = registry.streams.flatMap((s) => s.messages).filter((m) => m.body === 'progress')
const peakUtilisation = Math.max(
  0,
  ...progress.flatMap((p) => p.progress?.gpus.map((g) => g.utilizationPct) ?? []),
)
const report = {
  inventory: register.register?.inventory,
  heartbeatGpus: heartbeat.heartbeat?.gpus,
  progressReports: progress.length,
  peakUtilisationPct: peakUtilisation,
  completion: completion.completion,
}
writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`)
console.log(JSON.stringify(report, null, 2))
await agent.stop()
await registry.close()
