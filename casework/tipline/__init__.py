"""The corruption-tip channel's rules (แจ้งเบาะแสการทุจริต), in one place for every surface.

- ``filing``: a tip filed in one transaction; receipts (scrypt lookups, never stored);
- ``sealing``: tip content under the server keyring (read only through the app);
- ``custody``: custodians' X25519 keys and the tipster identity sealed to them;
- ``access``: who sees which tip (assignments, conflict-of-interest exclusions);
- ``reveal``: an officer's request and a custodian's approval to learn who the tipster is;
- ``messages``: the anonymous two-way thread; ``workflow``: status changes;
- ``referral``: tips naming the mayor, a deputy mayor or the clerk go to an outside body;
- ``transfer``: the one-way move of a general complaint into this channel;
- ``trail``: the audit entries this channel writes.
"""
