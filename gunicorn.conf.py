"""Gunicorn settings. The access log names no client: no address, no user agent, no referrer,
no query string and no time (the log collector adds its own, at whatever grain it keeps).

The corruption channel's pages (public and staff) and API are not logged at all: a collector's
timestamp on a "POST /whistleblow/new" line would date a tip to the second. Nor are the style
sheet, script and favicon every page fetches: someone who opens the tip pages directly would
otherwise leave asset lines with no page line beside them, which says the same thing."""

import os

from gunicorn.glogging import Logger

bind = f"127.0.0.1:{os.environ.get('PORT', '5000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
accesslog = "-"
access_log_format = '"%(m)s %(U)s" %(s)s %(B)s'
errorlog = "-"
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
# A header field over 8 KB is refused by the app (rongrian.security.refuse_large_headers) with
# a 431 in its own words, JSON on the API, as the OpenAPI document says. Gunicorn lets fields
# up to this size through to it; a larger one still gets gunicorn's plain-text 431.
limit_request_field_size = 32768


def when_ready(server):
    """``make run``: say where the site is and how to sign in for the first time."""
    if os.environ.get("RONGRIAN_RUN_HINT") != "1":
        return
    url = f"http://{bind}/"
    print(
        f"""
Rongrian is ready: {url}  (back office: {url}admin/)

The demo data has no staff accounts. Create the first one (a system administrator) with:
    .venv/bin/flask --app wsgi users create admin@example.go.th --role sysadmin
and an officer of a department (the command lists the department codes if one is wrong):
    .venv/bin/flask --app wsgi users create officer@example.go.th --role officer --department works
""",
        flush=True,
    )


class NoTipsLogger(Logger):
    """Gunicorn's logger, without access lines for the tip channel's pages, public and staff,
    and the assets any page loads (casework.tipline.unlogged)."""

    def access(self, resp, req, environ, request_time):
        from casework.tipline import unlogged

        if unlogged(environ.get("PATH_INFO", "")):
            return
        super().access(resp, req, environ, request_time)


logger_class = NoTipsLogger
