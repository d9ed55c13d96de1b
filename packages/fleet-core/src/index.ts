export * from './assignment.js'
export * from './availability.js'
export * from './inventory.js'
export * from './node-state.js'
