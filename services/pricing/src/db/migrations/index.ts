import type { ServiceMigrations } from '@idlegrid/db'
import * as priceBook from './2026-11-25T0900_price-book.js'
import * as quotesAndMarket from './2026-12-01T0900_quotes-and-market.js'

export const pricingMigrations: ServiceMigrations = {
  schema: 'pricing',
  migrations: {
    '2026-11-25T0900_price-book': priceBook,
    '2026-12-01T0900_quotes-and-market': quotesAndMarket,
  },
}
