// Original file: proto/idlegrid/registry/v1/registry.proto

import type { HoursWindow as _idlegrid_registry_v1_HoursWindow, HoursWindow__Output as _idlegrid_registry_v1_HoursWindow__Output } from '../../../idlegrid/registry/v1/HoursWindow.js';

/**
 * Weekly windows in a time zone, e.g. Mon–Fri 22:00–08:00 Europe/Amsterdam.
 */
export interface NodeHours {
  /**
   * IANA time zone.
   */
  'timezone'?: (string);
  'windows'?: (_idlegrid_registry_v1_HoursWindow)[];
}

/**
 * Weekly windows in a time zone, e.g. Mon–Fri 22:00–08:00 Europe/Amsterdam.
 */
export interface NodeHours__Output {
  /**
   * IANA time zone.
   */
  'timezone': (string);
  'windows': (_idlegrid_registry_v1_HoursWindow__Output)[];
}
