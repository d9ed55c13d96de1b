export * from './book-cache.js'
export * from './market.js'
export * from './quote.js'
export * from './signing.js'
