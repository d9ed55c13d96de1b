// Original file: proto/idlegrid/matching/v1/matching.proto


export interface DemandLevel {
  /**
   * What the jobs accept (empty: any), as their specs say.
   */
  'models'?: (string)[];
  'regions'?: (string)[];
  'excludedRegions'?: (string)[];
  /**
   * GPUs wanted by jobs waiting now.
   */
  'waitingGpus'?: (number);
  /**
   * GPUs of jobs placed within recent_s.
   */
  'recentGpus'?: (number);
}

export interface DemandLevel__Output {
  /**
   * What the jobs accept (empty: any), as their specs say.
   */
  'models': (string)[];
  'regions': (string)[];
  'excludedRegions': (string)[];
  /**
   * GPUs wanted by jobs waiting now.
   */
  'waitingGpus': (number);
  /**
   * GPUs of jobs placed within recent_s.
   */
  'recentGpus': (number);
}
