// Original file: proto/idlegrid/pricing/v1/pricing.proto

import type { ReferencePrice as _idlegrid_pricing_v1_ReferencePrice, ReferencePrice__Output as _idlegrid_pricing_v1_ReferencePrice__Output } from '../../../idlegrid/pricing/v1/ReferencePrice.js';
import type { Fee as _idlegrid_pricing_v1_Fee, Fee__Output as _idlegrid_pricing_v1_Fee__Output } from '../../../idlegrid/pricing/v1/Fee.js';
import type { MarketBucket as _idlegrid_pricing_v1_MarketBucket, MarketBucket__Output as _idlegrid_pricing_v1_MarketBucket__Output } from '../../../idlegrid/pricing/v1/MarketBucket.js';

export interface PriceBook {
  'referencePrices'?: (_idlegrid_pricing_v1_ReferencePrice)[];
  'fees'?: (_idlegrid_pricing_v1_Fee)[];
  /**
   * Empty when no sample is fresh enough (quotes fall back to reference prices).
   */
  'market'?: (_idlegrid_pricing_v1_MarketBucket)[];
  /**
   * RFC 3339; empty with no market.
   */
  'sampledAt'?: (string);
}

export interface PriceBook__Output {
  'referencePrices': (_idlegrid_pricing_v1_ReferencePrice__Output)[];
  'fees': (_idlegrid_pricing_v1_Fee__Output)[];
  /**
   * Empty when no sample is fresh enough (quotes fall back to reference prices).
   */
  'market': (_idlegrid_pricing_v1_MarketBucket__Output)[];
  /**
   * RFC 3339; empty with no market.
   */
  'sampledAt': (string);
}
