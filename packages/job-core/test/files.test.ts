import { describe, expect, it } from 'vitest'
import { chunkProcess, fillChunkPlaceholders, jobFilesProblem } from '../src/index.js'

const chunk = { index: 3, frameStart: 151, frameEnd: 200 }

describe('fillChunkPlaceholders', () => {
  it('fills {chunk}, {frameStart} and {frameEnd}, every time they appear, and nothing else', () => {
    expect(
      fillChunkPlaceholders('https://b.example/f-{chunk}-{frameStart}_{frameEnd}.tgz?c={chunk}', chunk),
    ).toBe('https://b.example/f-3-151_200.tgz?c=3')
    expect(fillChunkPlaceholders('{frame} {Chunk} {chunk', chunk)).toBe('{frame} {Chunk} {chunk')
  })

  it('fills a chunk command the same way', () => {
    expect(chunkProcess(['blender', '-s', '{frameStart}', '-e', '{frameEnd}'], {}, chunk, 4).command).toEqual(
      ['blender', '-s', '151', '-e', '200'],
    )
  })
})

describe('jobFilesProblem', () => {
  const input = (path: string) => ({ uri: 'https://d.example/x', path })

  it('takes inputs on distinct paths and any output URI for a job that is not split', () => {
    expect(
      jobFilesProblem(
        { inputs: [input('a'), input('data/a'), input('data/b')], outputUri: 'https://o/x' },
        false,
      ),
    ).toBe(undefined)
    expect(jobFilesProblem({}, true)).toBe(undefined)
  })

  it('names the second input that lands where an earlier one does', () => {
    expect(
      jobFilesProblem({ inputs: [input('a'), input('data/x.csv'), input('data/x.csv/')] }, false),
    ).toEqual({
      field: 'inputs.2.path',
      detail: '"data/x.csv/" is inputs.1.path too: give each input its own path',
    })
  })

  it("refuses a render job's single output URI, which every chunk would overwrite", () => {
    expect(jobFilesProblem({ outputUri: 'https://o/frames.tgz' }, true)).toMatchObject({ field: 'outputUri' })
    expect(jobFilesProblem({ outputUri: 'https://o/frames-{chunk}.tgz' }, true)).toBe(undefined)
  })

  it('keeps checkpoints for jobs that are not split, and an interval only with a URI', () => {
    expect(jobFilesProblem({ checkpointUri: 'https://c/run.tgz', checkpointIntervalS: 60 }, false)).toBe(
      undefined,
    )
    expect(jobFilesProblem({ checkpointUri: 'https://c/run.tgz' }, true)).toMatchObject({
      field: 'checkpointUri',
    })
    expect(jobFilesProblem({ checkpointIntervalS: 60 }, false)).toEqual({
      field: 'checkpointIntervalS',
      detail: 'is how often checkpoints are saved: it needs checkpointUri',
    })
  })
})
