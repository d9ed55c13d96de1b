import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { demandCurve, parseTrace } from '../../scripts/bench/quality/trace.js'

const TRACE = join(import.meta.dirname, '..', '..', '..', 'shared', 'traces', 'itp', 'cluster04.csv')

describe('parseTrace on the real cluster04 file', () => {
  const text = readFileSync(TRACE, 'utf8')

  it('reads the first lines exactly', () => {
    const head = text.split('\n').slice(0, 5).join('\n')
    expect(parseTrace(head)).toEqual([
      { id: 'c9c620ea-4336-c1a9-8abe-e26bd13076b8', submit: 5810, duration: 288476, gpus: 16 },
      { id: 'be631d51-a07b-5693-739f-f4379ec5d0cc', submit: 5813, duration: 292893, gpus: 16 },
      { id: '492ce47f-0925-1906-bc3c-7b65ba6ecbfe', submit: 5880, duration: 311900, gpus: 16 },
      { id: '29fd9415-8028-df6c-f9fd-0365a52e4cba', submit: 5883, duration: 309226, gpus: 16 },
    ])
  })

  it('stops at the limit', () => {
    expect(parseTrace(text, 3)).toHaveLength(3)
  })

  it('matches the README: 15,802 jobs, GPU counts 1–64', () => {
    const all = parseTrace(text)
    expect(all).toHaveLength(15_802)
    const byCount: Record<number, number> = {}
    for (const j of all) byCount[j.gpus] = (byCount[j.gpus] ?? 0) + 1
    expect(byCount).toEqual({ 1: 11924, 2: 125, 4: 532, 8: 2779, 16: 182, 32: 254, 64: 6 })
    for (let i = 1; i < all.length; i++) expect(all[i]!.submit).toBeGreaterThanOrEqual(all[i - 1]!.submit)
  })
})

describe('parseTrace on bad input', () => {
  it('rejects another header', () => {
    expect(() => parseTrace('id,time,gpus\n1,2,3')).toThrow(/unexpected trace header/)
  })

  it('rejects a malformed row, naming its line', () => {
    expect(() => parseTrace('job_id,submission_time,duration,num_gpu\na,1,2,0')).toThrow(/line 2/)
    expect(() => parseTrace('job_id,submission_time,duration,num_gpu\na,1,x,1')).toThrow(/line 2/)
    expect(() => parseTrace('job_id,submission_time,duration,num_gpu\na,1,2')).toThrow(/line 2/)
  })

  it('skips blank lines, accepts CRLF, and sorts by submission time stably', () => {
    const csv = 'job_id,submission_time,duration,num_gpu\r\nb,20,1,1\r\n\r\na,10,1,2\r\nc,10,1,4\r\n'
    expect(parseTrace(csv).map((j) => j.id)).toEqual(['a', 'c', 'b'])
  })
})

describe('demandCurve', () => {
  // 2 GPUs from t0 to t10, 4 from t5 to t15, 1 from t10 (the last arrival): window t0–t10.
  const d = demandCurve([
    { id: 'x', submit: 0, duration: 10, gpus: 2 },
    { id: 'y', submit: 5, duration: 10, gpus: 4 },
    { id: 'z', submit: 10, duration: 1, gpus: 1 },
  ])

  it('integrates over the arrival window', () => {
    expect(d.start).toBe(0)
    expect(d.end).toBe(10)
    expect(d.mean).toBe(4) // 2 for 5 s, 6 for 5 s
    expect(d.peak).toBe(6) // at t10 x ends before z starts: 5
  })

  it('answers time-weighted quantiles and the share above a size', () => {
    expect(d.quantile(0.5)).toBe(2)
    expect(d.quantile(0.75)).toBe(6)
    expect(d.shareAbove(4)).toBe(0.5)
    expect(d.shareAbove(6)).toBe(0)
  })
})
