import { bindServer, createGrpcServer, type grpc } from '@idlegrid/grpc'
import { loadProtos } from '@idlegrid/proto'
import type { AgentMessage__Output, ControlMessage } from '@idlegrid/proto/registry'
import { type BareCommand, type BareReport, benchJobSpec, nodeIdOfBearer } from './protocol.js'

/**
 * The benchmark's baseline: the same gRPC stack and server options as the
 * registry, and the same Connect contract, doing nothing else. Register is
 * answered with Registered, every other message is read and discarded, and
 * an assignment is pushed down a stream when the driver asks over IPC. What
 * the registry costs beyond this is what its own work costs.
 */
type AgentCall = grpc.ServerDuplexStream<AgentMessage__Output, ControlMessage>

const report = (message: BareReport) => process.send?.(message)
const streams = new Map<string, AgentCall>()
let messages = 0
let heartbeats = 0

const server = createGrpcServer()
server.addService(loadProtos().idlegrid.registry.v1.RegistryService.service, {
  Connect: (call: AgentCall) => {
    const nodeId = nodeIdOfBearer(call.metadata.get('authorization')[0]) ?? ''
    let registered = false
    const close = () => {
      if (streams.get(nodeId) === call) streams.delete(nodeId)
    }
    call.on('data', (message: AgentMessage__Output) => {
      messages++
      if (message.body === 'heartbeat') heartbeats++
      if (!registered && message.body === 'register') {
        registered = true
        streams.set(nodeId, call)
        call.write({ registered: { nodeId, heartbeatIntervalMs: 5000 } })
      }
    })
    call.on('end', () => {
      close()
      call.end()
    })
    call.on('error', close)
    call.on('cancelled', close)
  },
})

let sequence = 0
process.on('message', (command: BareCommand) => {
  if (command.type === 'push') {
    const call = streams.get(command.nodeId)
    call?.write({
      assignment: {
        assignmentId: `asg_bare_${++sequence}`,
        jobId: command.jobId,
        gpuIndexes: [0],
        spec: benchJobSpec,
        pricePerGpuHourMicros: '450000',
        epoch: '1',
      },
    })
    if (!call) report({ type: 'pushed', jobId: command.jobId, ok: false })
  } else if (command.type === 'count') {
    report({ type: 'count', streams: streams.size, messages, heartbeats })
  } else if (command.type === 'stop') {
    server.forceShutdown()
    setTimeout(() => process.exit(0), 100)
  }
})
process.on('disconnect', () => process.exit(0))

const port = await bindServer(server, '127.0.0.1', 0)
report({ type: 'listening', port })
