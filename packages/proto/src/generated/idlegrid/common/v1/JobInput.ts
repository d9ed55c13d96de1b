// Original file: proto/idlegrid/common/v1/job.proto


/**
 * A file the agent fetches (HTTP GET) into the run's input directory before
 * the process starts.
 */
export interface JobInput {
  /**
   * http:// or https:// (a presigned object-store URL, for instance).
   */
  'uri'?: (string);
  /**
   * Where it lands, relative to IDLEGRID_INPUT_DIR ("data/train.csv").
   */
  'path'?: (string);
  /**
   * Lower-case hex SHA-256 the file must have; empty: not checked.
   */
  'sha256'?: (string);
}

/**
 * A file the agent fetches (HTTP GET) into the run's input directory before
 * the process starts.
 */
export interface JobInput__Output {
  /**
   * http:// or https:// (a presigned object-store URL, for instance).
   */
  'uri': (string);
  /**
   * Where it lands, relative to IDLEGRID_INPUT_DIR ("data/train.csv").
   */
  'path': (string);
  /**
   * Lower-case hex SHA-256 the file must have; empty: not checked.
   */
  'sha256': (string);
}
