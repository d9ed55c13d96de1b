import type { NodeStatus__Output } from '@idlegrid/proto/registry'
import type { Node } from './schemas.js'

/** The public shape of a node. Money is integer micros (safe as JSON numbers up to 9e15). */
export function nodeView(s: NodeStatus__Output): Node {
  return {
    id: s.nodeId,
    name: s.name,
    state: s.state as Node['state'],
    region: s.region,
    country: s.country,
    pricePerGpuHourMicros: s.pricePerGpuHourMicros === '0' ? null : Number(s.pricePerGpuHourMicros),
    gpus: s.gpus.map((g) => ({
      index: g.index,
      model: g.model,
      vramMib: g.vramMib,
      computeCapability: g.computeCapability,
      driverVersion: g.driverVersion,
      cudaVersion: g.cudaVersion,
      interconnect: g.interconnect,
    })),
    gpusInUse: s.gpusInUse,
    lastHeartbeatAt: s.lastHeartbeatAt || null,
    quarantineReason: s.quarantineReason || null,
    hours: s.hours
      ? {
          timezone: s.hours.timezone,
          windows: s.hours.windows.map((w) => ({
            days: w.days as NonNullable<Node['hours']>['windows'][number]['days'],
            start: w.start,
            end: w.end,
          })),
        }
      : null,
    hoursChangeAt: s.hoursChangeAt || null,
  }
}
