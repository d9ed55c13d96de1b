export {
  type Generated,
  type Insertable,
  type Kysely,
  type OperationNodeSource,
  type Selectable,
  sql,
  type Transaction,
} from 'kysely'
export * from './db.js'
export * from './migrate.js'
