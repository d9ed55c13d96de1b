import type { ServiceMigrations } from '@idlegrid/db'
import * as priceBook from './2026-11-25T0900_price-book.js'

export const pricingMigrations: ServiceMigrations = {
  schema: 'pricing',
  migrations: {
    '2026-11-25T0900_price-book': priceBook,
  },
}
