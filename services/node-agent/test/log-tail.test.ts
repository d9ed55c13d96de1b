import { describe, expect, it } from 'vitest'
import { createLogTail } from '../src/log-tail.js'

describe('log tail', () => {
  it('keeps only the last 20 lines of a chatty process', () => {
    const tail = createLogTail()
    for (let i = 1; i <= 100; i++) tail.push(`line ${i}\n`)
    const lines = tail.text().trimEnd().split('\n')
    expect(lines).toHaveLength(20)
    expect(lines[0]).toBe('line 81')
    expect(lines.at(-1)).toBe('line 100')
  })

  it('keeps at most 4 KB when a process prints one enormous line', () => {
    const tail = createLogTail()
    tail.push('x'.repeat(100_000))
    tail.push('END')
    expect(tail.text()).toHaveLength(4096)
    expect(tail.text().endsWith('xEND')).toBe(true)
  })

  it('joins output that arrives in pieces', () => {
    const tail = createLogTail({ maxLines: 2 })
    tail.push('epoch 1 loss=0.9\nepoch 2 ')
    tail.push('loss=0.5\nepoch 3 loss=0.3\n')
    expect(tail.text()).toBe('epoch 2 loss=0.5\nepoch 3 loss=0.3\n')
  })
})
