// Original file: proto/idlegrid/matching/v1/matching.proto

import type { Offer as _idlegrid_matching_v1_Offer, Offer__Output as _idlegrid_matching_v1_Offer__Output } from '../../../idlegrid/matching/v1/Offer.js';

export interface SearchOffersResponse {
  'offers'?: (_idlegrid_matching_v1_Offer)[];
  'nodesConsidered'?: (number);
}

export interface SearchOffersResponse__Output {
  'offers': (_idlegrid_matching_v1_Offer__Output)[];
  'nodesConsidered': (number);
}
