// Original file: proto/idlegrid/pricing/v1/pricing.proto

import type { Fee as _idlegrid_pricing_v1_Fee, Fee__Output as _idlegrid_pricing_v1_Fee__Output } from '../../../idlegrid/pricing/v1/Fee.js';

export interface ListFeesResponse {
  'fees'?: (_idlegrid_pricing_v1_Fee)[];
}

export interface ListFeesResponse__Output {
  'fees': (_idlegrid_pricing_v1_Fee__Output)[];
}
