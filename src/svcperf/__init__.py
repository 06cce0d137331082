"""svcperf: service score sheets in, validated grades, quotas and ranks out."""

__version__ = "0.1.0"
