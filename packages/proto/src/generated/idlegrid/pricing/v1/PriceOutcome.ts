// Original file: proto/idlegrid/pricing/v1/pricing.proto

import type { QuoteResponse as _idlegrid_pricing_v1_QuoteResponse, QuoteResponse__Output as _idlegrid_pricing_v1_QuoteResponse__Output } from '../../../idlegrid/pricing/v1/QuoteResponse.js';
import type { Problem as _idlegrid_common_v1_Problem, Problem__Output as _idlegrid_common_v1_Problem__Output } from '../../../idlegrid/common/v1/Problem.js';

export interface PriceOutcome {
  'quote'?: (_idlegrid_pricing_v1_QuoteResponse | null);
  'problem'?: (_idlegrid_common_v1_Problem | null);
  'outcome'?: "quote"|"problem";
}

export interface PriceOutcome__Output {
  'quote'?: (_idlegrid_pricing_v1_QuoteResponse__Output | null);
  'problem'?: (_idlegrid_common_v1_Problem__Output | null);
  'outcome'?: "quote"|"problem";
}
