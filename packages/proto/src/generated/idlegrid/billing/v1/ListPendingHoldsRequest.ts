// Original file: proto/idlegrid/billing/v1/billing.proto


export interface ListPendingHoldsRequest {
  /**
   * Only holds placed at least this many seconds ago.
   */
  'olderThanS'?: (number);
  /**
   * Holds with ids after this one (paging); empty: from the first.
   */
  'afterHoldId'?: (string);
  /**
   * At most this many (1-1000; 0: 500).
   */
  'limit'?: (number);
}

export interface ListPendingHoldsRequest__Output {
  /**
   * Only holds placed at least this many seconds ago.
   */
  'olderThanS': (number);
  /**
   * Holds with ids after this one (paging); empty: from the first.
   */
  'afterHoldId': (string);
  /**
   * At most this many (1-1000; 0: 500).
   */
  'limit': (number);
}
