import { describe, expect, it } from 'vitest'
import { UsageError } from '../src/command.js'
import { daysText, parseWindow } from '../src/commands/provider.js'

describe('parseWindow (idlegrid nodes hours --window)', () => {
  it.each([
    ['mon-fri 22:00-08:00', { days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '22:00', end: '08:00' }],
    ['sat,sun', { days: ['sat', 'sun'], start: '00:00', end: '24:00' }],
    [
      'daily 18:00-24:00',
      { days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], start: '18:00', end: '24:00' },
    ],
    // A range may wrap the week; days come back in week order, each once.
    ['fri-mon', { days: ['mon', 'fri', 'sat', 'sun'], start: '00:00', end: '24:00' }],
    ['Sun,MON,sun 09:00-17:30', { days: ['mon', 'sun'], start: '09:00', end: '17:30' }],
  ])('%s', (text, window) => {
    expect(parseWindow(text)).toEqual(window)
  })

  it.each(['someday', 'mon 9-17', 'mon-fri 22:00', 'mon..fri 10:00-11:00', ''])('refuses "%s"', (text) => {
    expect(() => parseWindow(text)).toThrow(UsageError)
  })
})

describe('daysText', () => {
  it.each([
    [['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], 'daily'],
    [['mon', 'tue', 'wed', 'thu', 'fri'], 'mon-fri'],
    [['sat', 'sun'], 'sat,sun'],
    [['mon', 'tue', 'wed', 'sat'], 'mon-wed,sat'],
    [['tue', 'thu'], 'tue,thu'],
  ])('%j → %s, which --window reads back', (days, text) => {
    expect(daysText(days)).toBe(text)
    expect(parseWindow(text).days).toEqual(days)
  })
})
