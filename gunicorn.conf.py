"""Gunicorn settings. The access log names no client: no address, no user agent, no referrer,
no query string and no time (the log collector adds its own, at whatever grain it keeps)."""

import os

bind = f"127.0.0.1:{os.environ.get('PORT', '5000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
accesslog = "-"
access_log_format = '"%(m)s %(U)s" %(s)s %(B)s'
errorlog = "-"
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
