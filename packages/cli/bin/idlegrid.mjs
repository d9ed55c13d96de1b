#!/usr/bin/env node
// Runs the TypeScript entry point in this process through tsx's loader (no build step),
// so Ctrl-C reaches the command directly.
import { register } from 'tsx/esm/api'

register()
await import(new URL('../src/main.ts', import.meta.url).href)
