// Original file: proto/idlegrid/pricing/v1/pricing.proto

import type { PriceExplanation as _idlegrid_pricing_v1_PriceExplanation, PriceExplanation__Output as _idlegrid_pricing_v1_PriceExplanation__Output } from '../../../idlegrid/pricing/v1/PriceExplanation.js';
import type { Long } from '@grpc/proto-loader';

export interface QuoteResponse {
  /**
   * Price per GPU-hour the customer is held to (micros of USD).
   */
  'pricePerGpuHourMicros'?: (number | string | Long);
  /**
   * price × GPUs × max duration, rounded up: the funds to hold, in micros of
   * USD whatever `currency` is; billing converts it into `currency` at the
   * rate it fixes on the hold (PlaceHold usd_amount_micros).
   */
  'holdAmountMicros'?: (number | string | Long);
  'currency'?: (string);
  /**
   * Platform fee in basis points of each settled amount.
   */
  'feeBps'?: (number);
  /**
   * RFC 3339 time after which the quote is no longer honoured.
   */
  'expiresAt'?: (string);
  /**
   * quote_…; empty when no account was named.
   */
  'quoteId'?: (string);
  'accountId'?: (string);
  /**
   * sha256 (hex) of the canonical encoding of the quoted spec.
   */
  'specHash'?: (string);
  /**
   * HMAC-SHA256 (hex) over the quote's canonical encoding; empty when not stored.
   */
  'signature'?: (string);
  'explanation'?: (_idlegrid_pricing_v1_PriceExplanation | null);
  /**
   * RFC 3339.
   */
  'createdAt'?: (string);
}

export interface QuoteResponse__Output {
  /**
   * Price per GPU-hour the customer is held to (micros of USD).
   */
  'pricePerGpuHourMicros': (string);
  /**
   * price × GPUs × max duration, rounded up: the funds to hold, in micros of
   * USD whatever `currency` is; billing converts it into `currency` at the
   * rate it fixes on the hold (PlaceHold usd_amount_micros).
   */
  'holdAmountMicros': (string);
  'currency': (string);
  /**
   * Platform fee in basis points of each settled amount.
   */
  'feeBps': (number);
  /**
   * RFC 3339 time after which the quote is no longer honoured.
   */
  'expiresAt': (string);
  /**
   * quote_…; empty when no account was named.
   */
  'quoteId': (string);
  'accountId': (string);
  /**
   * sha256 (hex) of the canonical encoding of the quoted spec.
   */
  'specHash': (string);
  /**
   * HMAC-SHA256 (hex) over the quote's canonical encoding; empty when not stored.
   */
  'signature': (string);
  'explanation': (_idlegrid_pricing_v1_PriceExplanation__Output | null);
  /**
   * RFC 3339.
   */
  'createdAt': (string);
}
