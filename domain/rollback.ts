/**
 * Rollback vocabulary shared by the rollback activities, the workflow's retry policy and the API. Pure: no I/O.
 */

/**
 * Failure type of a rollback refused before anything changed: the service has no cluster, or no earlier
 * deployable build exists. Never retried; the API answers 409 with the failure's message.
 */
export const RollbackRefused = 'RollbackRefused';
