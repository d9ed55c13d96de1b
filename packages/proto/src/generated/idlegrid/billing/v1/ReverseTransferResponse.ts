// Original file: proto/idlegrid/billing/v1/billing.proto

import type { Long } from '@grpc/proto-loader';

export interface ReverseTransferResponse {
  /**
   * The reversal's own id: "<transfer_id>:reversal".
   */
  'transferId'?: (string);
  'reversedTransferId'?: (string);
  'amountMicros'?: (number | string | Long);
  'currency'?: (string);
}

export interface ReverseTransferResponse__Output {
  /**
   * The reversal's own id: "<transfer_id>:reversal".
   */
  'transferId': (string);
  'reversedTransferId': (string);
  'amountMicros': (string);
  'currency': (string);
}
