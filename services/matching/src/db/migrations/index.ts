import type { ServiceMigrations } from '@idlegrid/db'
import { outboxMigration } from '@idlegrid/outbox'
import * as decisions from './2026-11-25T0900_decisions.js'
import * as hints from './2026-11-25T1300_hints.js'
import * as nominations from './2026-11-26T0900_nominations.js'
import * as cancelled from './2026-11-26T1000_cancelled.js'
import * as gangNominations from './2026-11-30T0900_gang-nominations.js'

export const matchingMigrations: ServiceMigrations = {
  schema: 'matching',
  migrations: {
    '2026-11-25T0900_decisions': decisions,
    '2026-11-25T0901_outbox': outboxMigration('matching'),
    '2026-11-25T1300_hints': hints,
    '2026-11-26T0900_nominations': nominations,
    '2026-11-26T1000_cancelled': cancelled,
    '2026-11-30T0900_gang-nominations': gangNominations,
  },
}
