"""Throttling of failed sign-ins, so that passwords cannot be guessed at speed.

Failures are counted in a moving window twice: per account name (one account attacked
from many addresses) and per client address (many accounts tried from one address).
Once either count reaches its limit, sign-in is refused for that name or that address,
before any password is checked, until the oldest failure leaves the window. A correct
password clears its account's count, not its address's: an attacker holding one account
cannot reset the count of the address it guesses others' passwords from.

Counts are kept in this process's memory (the `limits` library's moving window): a desk
runs as one process, and a restart forgets them, which only gives a guesser one more
window. The address is the TCP peer's: behind a reverse proxy it is the proxy's, and the
per-address limit then applies to every client at once (the per-account limit still
holds).
"""

from __future__ import annotations

import math
import time

from limits import RateLimitItemPerSecond
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter


class SignInThrottle:
    """At most ``per_account`` failed sign-ins per account name and ``per_address`` per
    client address within ``window_s`` seconds."""

    def __init__(self, per_account: int, per_address: int, window_s: int) -> None:
        self._limiter = MovingWindowRateLimiter(MemoryStorage())
        self._account = RateLimitItemPerSecond(per_account, window_s, namespace="desk-sign-in-account")
        self._address = RateLimitItemPerSecond(per_address, window_s, namespace="desk-sign-in-address")

    def wait_s(self, account: str, address: str) -> int:
        """Seconds before ``account`` may try to sign in from ``address`` again; 0: now."""
        waits = [self._limiter.get_window_stats(item, key).reset_time - time.time()
                 for item, key in ((self._account, account), (self._address, address))
                 if not self._limiter.test(item, key)]
        return max(1, math.ceil(max(waits))) if waits else 0

    def failed(self, account: str, address: str) -> None:
        """Count a wrong name or password for ``account`` from ``address``."""
        self._limiter.hit(self._account, account)
        self._limiter.hit(self._address, address)

    def succeeded(self, account: str) -> None:
        """A correct password: the account's failures are forgiven (its address's are not)."""
        self._limiter.clear(self._account, account)
