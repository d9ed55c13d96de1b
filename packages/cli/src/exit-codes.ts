/** What `idlegrid` exits with, so scripts can tell the outcomes apart (listed in `idlegrid --help`). */
export const EXIT = {
  ok: 0,
  /** The API refused the request, or could not be reached. */
  failed: 1,
  /** Bad flags, arguments or job file; not logged in. */
  usage: 2,
  /** watch: the job failed (non-zero exit, lost, or refused). */
  jobFailed: 3,
  /** watch: the job was cancelled. */
  jobCancelled: 4,
} as const
