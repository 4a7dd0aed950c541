// When the relay cannot be reached at all, every email would fail the same way. So after `failureThreshold`
// such failures in a row (classifySmtpFailure's 'relay-unavailable', no answer from the relay in between)
// sending stops, the relay is probed with a backoff doubling from `initialBackoffMs` to `maxBackoffMs`, and
// sending resumes once it answers. The worker's circuit breaker runs this policy.

export interface RelayCircuitPolicy {
  /** Relay-unavailable failures in a row (no answer from the relay in between) that open the circuit. */
  readonly failureThreshold: number;
  readonly initialBackoffMs: number;
  readonly maxBackoffMs: number;
}

export const DEFAULT_RELAY_CIRCUIT_POLICY: RelayCircuitPolicy = Object.freeze({
  failureThreshold: 5,
  initialBackoffMs: 1_000,
  maxBackoffMs: 60_000,
});
