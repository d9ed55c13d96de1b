export * from './db.js'
export * from './migrate.js'
export { sql, type Kysely, type Transaction, type Selectable, type Insertable, type Generated } from 'kysely'
