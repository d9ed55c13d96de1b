// Original file: proto/idlegrid/matching/v1/matching.proto


export interface MarketDepthRequest {
  /**
   * Jobs decided (placed or waiting) this many seconds ago or later count as recent demand.
   */
  'recentS'?: (number);
}

export interface MarketDepthRequest__Output {
  /**
   * Jobs decided (placed or waiting) this many seconds ago or later count as recent demand.
   */
  'recentS': (number);
}
