export * from './assignment.js'
export * from './inventory.js'
