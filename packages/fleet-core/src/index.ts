export * from './assignment.js'
export * from './inventory.js'
export * from './node-state.js'
