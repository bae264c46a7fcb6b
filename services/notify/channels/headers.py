"""Names of the headers vanthu adds on every channel, for senders and receivers alike."""

IDEMPOTENCY_HEADER = "X-Vanthu-Idempotency-Key"
SIGNATURE_HEADER = "X-Vanthu-Signature"
