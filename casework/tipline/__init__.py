"""The corruption-tip channel's rules (แจ้งเบาะแสการทุจริต), in one place for every surface.

- ``filing``: a tip filed in one transaction; receipts (scrypt lookups, never stored);
- ``sealing``: tip content under the server keyring (read only through the app);
- ``custody``: custodians' X25519 keys and the tipster identity sealed to them;
- ``access``: who sees which tip (assignments, conflict-of-interest exclusions);
- ``reveal``: an officer's request and a custodian's approval to learn who the tipster is;
- ``messages``: the anonymous two-way thread; ``workflow``: status changes;
- ``referral``: tips naming the mayor, a deputy mayor or the clerk go to an outside body;
- ``transfer``: the one-way move of a general complaint into this channel;
- ``categories``: the channel's categories and their days, kept by integrity officers;
- ``trail``: the audit entries this channel writes;
- ``deadlines``: each stage's days; ``sweep``: the daily reminders and escalation of tips;
- ``standing``: what the tipster sees of the stages; ``retaliation``: reports of retaliation;
- ``figures``: the executives' figures on tips.

The staff pages only call: loaders that take an id and answer None outside the organization or
the rules of ``access``, read functions, and operations that commit (the change, its timeline
entry and its trail entries in one transaction) or roll back and raise.
"""

# The public tip pages and API: no session cookie, no referrer, no cache, no access log line.
PUBLIC_PATHS = ("/whistleblow", "/api/v1/tips")


def is_public_path(path: str) -> bool:
    """True for the tip channel's public pages and API (``/whistleblow…``, ``/api/v1/tips…``)."""
    return any(path == p or path.startswith(p + "/") for p in PUBLIC_PATHS)


def is_channel_path(path: str) -> bool:
    """True for every page of the tip channel: the public pages and API, and the staff pages
    (``/admin/tips…``). Their log lines, if any, carry no address and no time of day."""
    return is_public_path(path) or path == "/admin/tips" or path.startswith("/admin/tips/")


def unlogged(path: str) -> bool:
    """Requests the access log must not record (gunicorn.conf.py): the tip channel's public
    and staff pages, and the assets and favicon every page fetches (a page opened straight
    from a bookmark would otherwise leave asset lines with no page line beside them)."""
    return is_channel_path(path) or path.startswith("/static/") or path == "/favicon.ico"
