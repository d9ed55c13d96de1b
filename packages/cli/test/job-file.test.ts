import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { UsageError } from '../src/command.js'
import { readJobFile } from '../src/job-file.js'

const dir = mkdtempSync(join(tmpdir(), 'idlegrid-job-file-'))
const file = (name: string, text: string) => {
  const path = join(dir, name)
  writeFileSync(path, text)
  return path
}

describe('job files', () => {
  it('reads YAML and JSON alike', () => {
    const yaml = readJobFile(
      file('a.yaml', 'kind: render\ncommand: [blender, -b]\ngpus: {count: 2}\nmaxDurationS: 60\n'),
    )
    const json = readJobFile(
      file('a.json', '{"kind":"render","command":["blender","-b"],"gpus":{"count":2},"maxDurationS":60}'),
    )
    expect(yaml).toEqual(json)
    expect(yaml.gpus.count).toBe(2)
  })

  it('keeps a notBefore as the text written (YAML reads no timestamps), for the API to judge', () => {
    const spec = readJobFile(
      file('sched.yaml', 'command: [true]\ngpus: 1\nmaxDurationS: 60\nnotBefore: 2026-11-28T02:00:00Z\n'),
    )
    expect(spec.notBefore).toBe('2026-11-28T02:00:00Z')
  })

  it('runs a command given as a string with sh -c', () => {
    expect(readJobFile(file('b.yaml', 'command: python train.py --epochs 3\n')).command).toEqual([
      'sh',
      '-c',
      'python train.py --epochs 3',
    ])
  })

  it('reads gpus given as a number as that many GPUs of any model', () => {
    expect(readJobFile(file('g.yaml', 'gpus: 2\n')).gpus).toEqual({ count: 2 })
    expect(readJobFile(file('h.yaml', 'gpus: {count: 1, models: [A100]}\n')).gpus).toEqual({
      count: 1,
      models: ['A100'],
    })
  })

  it.each([
    ['c.yaml', 'command: [unclosed\n', /c\.yaml:\d+:\d+: /],
    ['d.yaml', '- just\n- a list\n', /must hold one job/],
  ])('refuses %s saying where', (name, text, message) => {
    expect(() => readJobFile(file(name, text))).toThrow(UsageError)
    expect(() => readJobFile(file(name, text))).toThrow(message)
  })

  it('says when the file is missing', () => {
    expect(() => readJobFile(join(dir, 'nope.yaml'))).toThrow(/cannot read .*nope\.yaml: ENOENT/)
  })
})
