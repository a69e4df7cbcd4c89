// Metrics and structured logs.
