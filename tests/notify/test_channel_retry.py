"""The channels' retry schedule and its configuration."""

from __future__ import annotations

from services.notify.channels.retry import backoff_delay
from vanthu.settings import ChannelRetry, Settings


def test_delays_double_up_to_the_cap():
    # GIVEN a policy without jitter WHEN delays are computed THEN they double from the base up to the cap
    policy = ChannelRetry(base_delay_s=0.5, cap_s=3.0, jitter=0)
    assert [backoff_delay(policy, n) for n in range(1, 7)] == [0.5, 1.0, 2.0, 3.0, 3.0, 3.0]


def test_jitter_only_shortens_a_delay_by_at_most_its_fraction():
    # GIVEN a policy with 50 % jitter WHEN many delays after the third attempt are drawn
    policy = ChannelRetry(base_delay_s=1.0, cap_s=30.0, jitter=0.5)
    delays = [backoff_delay(policy, 3) for _ in range(200)]
    # THEN each lies between half the delay and the delay, and they differ
    assert all(2.0 <= d <= 4.0 for d in delays)
    assert len(set(delays)) > 1


def test_channel_settings_come_from_the_environment(monkeypatch):
    # GIVEN one retry field and the SMTP password set in the environment
    monkeypatch.setenv("VANTHU_CHANNELS__RETRY__MAX_ATTEMPTS", "7")
    monkeypatch.setenv("VANTHU_CHANNELS__SMTP_PASSWORD", "mật-khẩu")
    # WHEN settings are read
    channels = Settings().channels
    # THEN that field changes and the channel's other defaults stay (not the retry topics')
    assert channels.retry == ChannelRetry(max_attempts=7)
    assert (channels.retry.base_delay_s, channels.retry.cap_s) == (1.0, 30.0)
    # AND the password is kept secret in reprs
    assert channels.smtp_password.get_secret_value() == "mật-khẩu"
    assert "mật-khẩu" not in repr(channels)
    assert (channels.smtp_host, channels.smtp_port, channels.smtp_starttls) == ("127.0.0.1", 1025, False)
