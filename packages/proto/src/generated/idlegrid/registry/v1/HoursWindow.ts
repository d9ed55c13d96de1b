// Original file: proto/idlegrid/registry/v1/registry.proto


export interface HoursWindow {
  /**
   * "mon" … "sun": the days the window starts on.
   */
  'days'?: (string)[];
  /**
   * Local "HH:MM"; an end at or before the start is on the next day.
   */
  'start'?: (string);
  'end'?: (string);
}

export interface HoursWindow__Output {
  /**
   * "mon" … "sun": the days the window starts on.
   */
  'days': (string)[];
  /**
   * Local "HH:MM"; an end at or before the start is on the next day.
   */
  'start': (string);
  'end': (string);
}
