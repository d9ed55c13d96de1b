// Original file: proto/idlegrid/pricing/v1/pricing.proto

import type { MarketBucket as _idlegrid_pricing_v1_MarketBucket, MarketBucket__Output as _idlegrid_pricing_v1_MarketBucket__Output } from '../../../idlegrid/pricing/v1/MarketBucket.js';

export interface GetMarketResponse {
  'buckets'?: (_idlegrid_pricing_v1_MarketBucket)[];
}

export interface GetMarketResponse__Output {
  'buckets': (_idlegrid_pricing_v1_MarketBucket__Output)[];
}
