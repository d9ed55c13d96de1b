import type { Assignment } from '@idlegrid/proto/registry'
import type { AssignmentRow } from '../../db/assignments.js'

type RunFields = Pick<
  AssignmentRow,
  'id' | 'job_id' | 'gpu_indexes' | 'spec' | 'price_per_gpu_hour_micros' | 'epoch' | 'gang_id'
> & { rank: number; world_size: number }

/**
 * One rank's assignment. The job's process learns its place in the gang from
 * its environment (set last, so a job cannot claim another rank).
 */
export function toAssignmentMessage(row: RunFields): Assignment {
  const spec = row.spec as Assignment['spec'] & { env?: Record<string, string> }
  return {
    assignmentId: row.id,
    jobId: row.job_id,
    gpuIndexes: row.gpu_indexes,
    spec: {
      ...spec,
      env: {
        ...spec?.env,
        IDLEGRID_GANG_ID: row.gang_id,
        IDLEGRID_RANK: String(row.rank),
        IDLEGRID_WORLD_SIZE: String(row.world_size),
      },
    },
    pricePerGpuHourMicros: row.price_per_gpu_hour_micros.toString(),
    epoch: row.epoch.toString(),
    gangId: row.gang_id,
    rank: row.rank,
    worldSize: row.world_size,
  }
}
