// Original file: proto/idlegrid/pricing/v1/pricing.proto

import type { Long } from '@grpc/proto-loader';

export interface PriceExplanation {
  /**
   * "market": a model/region price level × its multiplier; "reference": no
   * node of the accepted models offers GPUs, the reference price book;
   * "ceiling": the customer's own max price per GPU-hour; "runnable": the
   * market or reference price raised to the least price at which enough
   * nodes could ever run the job.
   */
  'basis'?: (string);
  /**
   * The market bucket the price comes from (the cheapest the job accepts); empty for "reference".
   */
  'model'?: (string);
  'region'?: (string);
  /**
   * GPU-weighted median asking price of the bucket's GPUs (micros of USD per GPU-hour).
   */
  'levelMicros'?: (number | string | Long);
  /**
   * Cheapest asking price in the bucket: the quote never goes below it.
   */
  'floorMicros'?: (number | string | Long);
  /**
   * Smoothed multiplier applied, basis points (10000 = ×1).
   */
  'multiplierBps'?: (number);
  /**
   * Where the multiplier is heading: the bounded demand/supply ratio, basis points.
   */
  'targetBps'?: (number);
  'supplyFreeGpus'?: (number);
  'supplyTotalGpus'?: (number);
  /**
   * GPUs wanted by waiting jobs plus a share of recent submissions.
   */
  'demandGpus'?: (number | string);
  /**
   * (demand + 1) / (free supply + 1), before bounds.
   */
  'rawRatio'?: (number | string);
  /**
   * RFC 3339 time of the market sample; empty when none.
   */
  'sampledAt'?: (string);
  /**
   * What the market alone would quote (micros of USD per GPU-hour); 0 when unknown.
   */
  'marketPriceMicros'?: (number | string | Long);
  /**
   * One sentence for people.
   */
  'summary'?: (string);
}

export interface PriceExplanation__Output {
  /**
   * "market": a model/region price level × its multiplier; "reference": no
   * node of the accepted models offers GPUs, the reference price book;
   * "ceiling": the customer's own max price per GPU-hour; "runnable": the
   * market or reference price raised to the least price at which enough
   * nodes could ever run the job.
   */
  'basis': (string);
  /**
   * The market bucket the price comes from (the cheapest the job accepts); empty for "reference".
   */
  'model': (string);
  'region': (string);
  /**
   * GPU-weighted median asking price of the bucket's GPUs (micros of USD per GPU-hour).
   */
  'levelMicros': (string);
  /**
   * Cheapest asking price in the bucket: the quote never goes below it.
   */
  'floorMicros': (string);
  /**
   * Smoothed multiplier applied, basis points (10000 = ×1).
   */
  'multiplierBps': (number);
  /**
   * Where the multiplier is heading: the bounded demand/supply ratio, basis points.
   */
  'targetBps': (number);
  'supplyFreeGpus': (number);
  'supplyTotalGpus': (number);
  /**
   * GPUs wanted by waiting jobs plus a share of recent submissions.
   */
  'demandGpus': (number);
  /**
   * (demand + 1) / (free supply + 1), before bounds.
   */
  'rawRatio': (number);
  /**
   * RFC 3339 time of the market sample; empty when none.
   */
  'sampledAt': (string);
  /**
   * What the market alone would quote (micros of USD per GPU-hour); 0 when unknown.
   */
  'marketPriceMicros': (string);
  /**
   * One sentence for people.
   */
  'summary': (string);
}
