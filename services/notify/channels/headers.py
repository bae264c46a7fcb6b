"""Names of the headers vanthu adds on every channel, for senders and receivers alike."""

IDEMPOTENCY_HEADER = "X-Vanthu-Idempotency-Key"
SIGNATURE_HEADER = "X-Vanthu-Signature"
EVENT_HEADER = "X-Vanthu-Event"
"""What a webhook's body is: ``assignment`` (an AssignmentNotice) or ``reminder`` (a Reminder)."""
