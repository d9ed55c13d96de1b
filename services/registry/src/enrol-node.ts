import { existsSync, writeFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { callUnary, createClient } from '@idlegrid/grpc'
import { loadProtos } from '@idlegrid/proto'

/**
 * `enrol-node --provider P --name N [--registry host:port] [--out agent.json]`:
 * enrols a node through the registry's EnrollNode RPC and prints its token,
 * or writes an agent config file (`idlegrid-agent --config agent.json`).
 * For operators and docker-compose; providers use POST /v1/nodes. An existing
 * --out file is left alone, so re-running is safe.
 */
const { values } = parseArgs({
  options: {
    provider: { type: 'string' },
    name: { type: 'string' },
    registry: { type: 'string', default: process.env.REGISTRY_ADDRESS ?? '127.0.0.1:50051' },
    out: { type: 'string' },
  },
})
if (!values.provider || !values.name) {
  process.stderr.write(
    'usage: enrol-node --provider <provider id> --name <node name> [--registry host:port] [--out file.json]\n',
  )
  process.exit(2)
}
if (values.out && existsSync(values.out)) {
  process.stdout.write(`${values.out} exists: ${values.name} is already enrolled\n`)
  process.exit(0)
}
const client = createClient(loadProtos().idlegrid.registry.v1.RegistryService, values.registry)
try {
  const { nodeId, token } = await callUnary(
    client,
    'enrollNode',
    { providerId: values.provider, name: values.name },
    { deadlineMs: 15_000 },
  )
  if (values.out) {
    writeFileSync(values.out, `${JSON.stringify({ registry: values.registry, token }, null, 2)}\n`, {
      mode: 0o600,
    })
    process.stdout.write(`enrolled ${values.name} as ${nodeId}; agent config written to ${values.out}\n`)
  } else {
    process.stdout.write(`${token}\n`)
  }
} catch (err) {
  process.stderr.write(`enrol-node failed: ${(err as Error).message}\n`)
  process.exitCode = 1
} finally {
  client.close()
}
