// Original file: proto/idlegrid/pricing/v1/pricing.proto

import type { Long } from '@grpc/proto-loader';

export interface MarketBucket {
  'model'?: (string);
  'region'?: (string);
  'supplyFreeGpus'?: (number);
  'supplyTotalGpus'?: (number);
  'demandGpus'?: (number | string);
  'rawRatio'?: (number | string);
  'targetBps'?: (number);
  'multiplierBps'?: (number);
  'levelMicros'?: (number | string | Long);
  'floorMicros'?: (number | string | Long);
  'sampledAt'?: (string);
}

export interface MarketBucket__Output {
  'model': (string);
  'region': (string);
  'supplyFreeGpus': (number);
  'supplyTotalGpus': (number);
  'demandGpus': (number);
  'rawRatio': (number);
  'targetBps': (number);
  'multiplierBps': (number);
  'levelMicros': (string);
  'floorMicros': (string);
  'sampledAt': (string);
}
