import type { Assignment } from '@idlegrid/proto/registry'
import type { AssignmentRow } from '../../db/assignments.js'

export function toAssignmentMessage(
  row: Pick<AssignmentRow, 'id' | 'job_id' | 'gpu_indexes' | 'spec' | 'price_per_gpu_hour_micros' | 'epoch'>,
): Assignment {
  return {
    assignmentId: row.id,
    jobId: row.job_id,
    gpuIndexes: row.gpu_indexes,
    spec: row.spec as Assignment['spec'],
    pricePerGpuHourMicros: row.price_per_gpu_hour_micros.toString(),
    epoch: row.epoch.toString(),
  }
}
